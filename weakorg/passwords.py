"""The password policy: long enough and not one a guess would find first (a run of keys, a repeated character or
chunk, a common password, the username in it)."""

from __future__ import annotations

PASSWORD_MIN_LENGTH = 8
PASSWORD_RULE = (
    f"密码至少 {PASSWORD_MIN_LENGTH} 个字符，不能是连续或重复的数字、字母（如 12345678、aaaaaaaa、abcabcab）、"
    "常见密码或含有用户名。"
)
WEAK_PASSWORD = "这个密码太容易被猜到（连续或重复的字符，或常见密码），请换一个。" + PASSWORD_RULE
HAS_USERNAME = "密码不能含有用户名，请换一个。" + PASSWORD_RULE
KEY_RUNS = (
    "0123456789012345678901234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc",
)
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "passw0rd",
        "p@ssw0rd",
        "iloveyou",
        "11223344",
        "12341234",
        "88888888",
        "66666666",
        "woaini1314",
        "5201314520",
        "admin123",
        "admin888",
        "root1234",
        "abc12345",
        "a1234567",
        "qwerty123",
    }
)


def check_password(password: str, username: str = "") -> str:
    """The password, or an AccountError in Chinese saying what the policy asks (``username``: not inside it)."""
    from weakorg.accounts import AccountError

    if len(password or "") < PASSWORD_MIN_LENGTH:
        raise AccountError(f"密码至少 {PASSWORD_MIN_LENGTH} 个字符，请重新设置。")
    if guessable(password):
        raise AccountError(WEAK_PASSWORD)
    if len(username.strip()) >= 3 and username.strip().lower() in password.lower():  # zhangsan → zhangsan2024
        raise AccountError(HAS_USERNAME)
    return password


def guessable(password: str) -> bool:
    """One character repeated, a chunk repeated (abcabcab), a run of keys or digits (12345678, abcdefgh, qwertyui),
    or a word every list of common passwords starts with."""
    text = password.lower()
    if len(set(text)) <= 2 or text in COMMON_PASSWORDS:
        return True
    if any(text == text[:n] * (len(text) // n) + text[: len(text) % n] for n in range(1, len(text) // 2 + 1)):
        return True  # a chunk repeated: abcabcab, lead1lead1
    return any(text in run or text in run[::-1] for run in KEY_RUNS)
