"""The criteria classifier: reading rules of DESIGN.md, its quality on the labelled texts, the sample's texts."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

import weakorg.criteria as criteria
import weakorg.criteria.alternations as criteria_regex
import weakorg.criteria.rules as criteria_rules
from weakorg.criteria import classify, classify_many
from weakorg.criteria.rules import expand, load_rules
from weakorg.sample import plan
from weakorg.vocab import CRITERIA, FLAGS

_BENCH = Path(__file__).resolve().parents[1] / "bench" / "criteria.py"
_spec = importlib.util.spec_from_file_location("bench_criteria", _BENCH)
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)
TARGET, load_cases, score = bench.TARGET, bench.load_cases, bench.score

FIXTURES = Path(__file__).parent / "fixtures"
# the labelled sets the rules were tuned on; criteria_fresh3.toml was not (see its header)
TUNED_ON = [
    "criteria_labelled.toml",
    "criteria_heldout.toml",
    "criteria_unseen.toml",
    "criteria_fresh.toml",
    "criteria_fresh2.toml",
    "criteria_blind4.toml",
]


def read(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    c = classify(text)
    return c.criteria, c.flags


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("书记长期外出务工，村务无人主持。", (1,)),  # gone for long -> 1
        ("书记忙于自家生意，对村里工作不在状态。", (2,)),  # there but distracted -> 2
        ("书记与村主任各自为政，互相拆台。", (3,)),
        ("支部已6年未换届。", (4,)),
        ("三会一课长期不落实。", (5,)),
        ("群众对村干部意见很大。", (6,)),
        ("书记与村主任闹矛盾，两委会议开不起来。", (3,)),  # a meeting of the two committees: 3 only
        ("两委班子闹矛盾，支部会开不起来。", (3, 5)),  # a party meeting not held: 5 as well
    ],
)
def test_each_criterion_read_from_a_situation(text, expected):
    assert read(text)[0] == expected


def test_several_criteria_and_evidence():
    c = classify("书记一职空缺，支部已5年未换届，组织生活无人组织。")
    assert c.criteria == (1, 4, 5) and c.vacant
    assert c.evidence[1] and "未换届" in c.evidence[4][0] and c.evidence[5]


@pytest.mark.parametrize(
    "text",
    [
        "原支委缺额问题已于去年解决。",
        "2013年已完成换届。",
        "支委缺员2人，现已配齐。",
        "班子团结，无内耗现象。",
        "未发现拉票贿选问题。",
        "村集体经济薄弱，党员老龄化严重，近5年未发展新党员。",  # real problems, none of the six
        "书记年近七旬。",  # age alone is no criterion
        "群众满意率为75%。",
        "群众满意度逐年上升，今年测评为58%。",  # a figure said to be rising does not count
        "",
    ],
)
def test_solved_denied_outside_the_six_or_empty_reads_nothing(text):
    assert read(text) == ((), ())


def test_a_solved_problem_does_not_hide_a_later_one():
    assert read("原书记空缺问题已解决，但新书记能力不足。")[0] == (2,)
    assert read("2013年已完成换届，但三会一课仍然不落实。")[0] == (5,)


def test_typos_full_width_digits_and_numbering():
    assert read("书纪长期生病在家，三会一颗无法落实。")[0] == (1, 5)
    assert read("１．书记长期外出务工；２．党员大会一年未开。")[0] == (1, 5)
    assert read("①支委缺额2人；②2009年换届后至今未换届。")[0] == (1, 4)
    assert read("一是两委班子不团结；二是服务群众意识不强。")[0] == (3, 6)
    assert read("党员群众满意率只有５２％。")[0] == (6,)


def test_satisfaction_threshold_is_configurable():
    text = "群众满意率为65%。"
    assert read(text)[0] == ()
    assert classify(text, load_rules(threshold=70)).criteria == (6,)


def test_flags_add_no_criterion():
    assert read("书记与村会计因账目问题闹矛盾，账目至今不清。") == ((), ("affairs_disorder",))
    assert read("因征地补偿问题，群众多次集体上访。") == ((), ("petitions",))
    assert read("上届村委会选举中有人拉票。") == ((), ("vote_buying",))
    assert read("村内宗族势力较强，影响村务决策。") == ((), ("interference",))
    assert read("村里派性严重，两委班子成员各站一派，互相拆台。") == ((3,), ())  # factions: no interference
    assert read("前几年发生的群体上访事件已妥善处置。") == ((), ())


def test_vacancy():
    assert classify("书记职位空缺8个月，人选至今未落实。").vacant
    assert classify("社区党支部书记暂缺，由街道干部临时代理。").vacant
    assert not classify("书记长期外出务工。").vacant
    assert not classify("书记空缺问题已解决。").vacant
    c = classify("书记去年病逝，至今无人接替。")  # a vacancy pattern, not repeated under criterion 1
    assert c.vacant and c.criteria == (1,)
    assert [e for e in c.evidence[1] if not e.startswith("模型判断")] == c.evidence["vacant"]  # and the model's vote


def test_classify_many_reads_each_distinct_text_once_and_remembers(monkeypatch):
    calls = []
    criteria.forget()  # texts remembered by earlier tests would not be read again
    real = criteria.read_rules
    monkeypatch.setattr(criteria, "read_rules", lambda t, r=None: calls.append(t) or real(t, r))
    texts = pd.Series(
        ["三会一课不落实。", None, "三会一课不落实。", float("nan"), "群众意见大。"], index=[5, 6, 7, 8, 9]
    )
    out = classify_many(texts)
    assert list(out.index) == [5, 6, 7, 8, 9]
    assert [c.criteria for c in out] == [(5,), (), (5,), (), (6,)]
    assert sorted(calls, key=str) == sorted(["三会一课不落实。", None, "群众意见大。"], key=str)
    classify_many(texts)  # read again (the checks after consolidation): remembered, not re-read
    assert len(calls) == 3


def test_a_rules_file_naming_an_unknown_flag_is_refused(tmp_path):
    text = (criteria_rules.RULES_PATH).read_text(encoding="utf-8") + '\n[flags.bribes]\npatterns = ["行贿"]\n'
    path = tmp_path / "criteria.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="bribes"):
        load_rules(path)


def test_word_groups_expand_into_patterns():
    groups = {"who": ["书记", "支书"], "lead": ["{who}", "主任"], "loop": ["{loop}"]}
    assert expand("{who}[^，。；]{0,8}外出", groups) == "(?:书记|支书)[^，。；]{0,8}外出"  # {0,8} stays a repeat
    assert expand("{lead}", groups) == "(?:(?:书记|支书)|主任)"  # a group may name a group
    with pytest.raises(ValueError, match="unknown word group"):
        expand("{nobody}", groups)
    with pytest.raises(ValueError, match="nest too deep"):
        expand("{loop}", groups)


def test_one_word_added_to_a_group_teaches_every_pattern_using_it(tmp_path):
    text = "书记常年在省城开网店，村里工作无人负责。"
    shipped = classify(text)
    assert 1 in shipped.criteria  # 无人负责: the standstill family
    gone = "书记常年开网店。"
    assert classify(gone).criteria == ()
    rules = criteria_rules.RULES_PATH.read_text(encoding="utf-8").replace(
        'away_from = ["在外",', 'away_from = ["开网店", "在外",'
    )
    path = tmp_path / "criteria.toml"
    path.write_text(rules, encoding="utf-8")
    assert classify(gone, load_rules(path)).criteria == (1,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("书记年龄偏大，思想保守，工作作风拖拉。", (2,)),  # the secretary, named in the first clause
        ("党员年龄偏大，思想保守。", ()),  # said of the members: no criterion
        ("书记年龄偏大，村级经济发展水平低。", ()),  # the economy's level, not the secretary's
        ("两委成员拉帮结派，遇事推诿扯皮。", (3,)),  # the members pull apart; not the secretary evading
        ("书记与副书记因换届问题产生隔阂，工作配合不好。", (3,)),
        ("书记开了一家超市，带领群众致富能力弱。", (2,)),  # 带领群众: the people are the object
        ("村干部办事推诿，群众不满。", (6,)),  # poor service, not a divided leadership
        ("村干部能力不足。", ()),  # criterion 2 is the secretary's
        ("工作能力欠缺，难以服众。", (2,)),  # nobody named: the organization's secretary
        ("一是书记年龄偏大；二是思想保守，工作方法简单。", (2,)),  # the secretary is still spoken of
        ("书记空缺，工作作风拖拉，群众意见大。", (1, 6)),  # a vacant post's secretary is not slack
    ],
)
def test_phrases_said_of_someone_count_for_that_actor_only(text, expected):
    assert read(text)[0] == expected


def test_village_cadres_daunted_by_gangs_is_the_flag_only():
    assert read("村里黑恶势力横行，干部不敢管事。") == ((), ("interference",))


def test_a_rules_file_naming_an_unknown_actor_is_refused(tmp_path):
    text = criteria_rules.RULES_PATH.read_text(encoding="utf-8").replace(
        'actors = ["secretary", "leaders"]', 'actors = ["deputies"]'
    )
    path = tmp_path / "criteria.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="deputies"):
        load_rules(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("居民对社区服务满意率仅为四成。", (6,)),  # tenths
        ("群众满意率为百分之四十五点五。", (6,)),  # in words
        ("群众满意率为百分之七十。", ()),
        ("群众满意率七成以上。", ()),
        ("三会一课记录不规范。", ()),  # untidy records are no criterion
        ("三会一课记录靠临时补写，实际没有开。", (5,)),  # made-up records are meetings not held
        ("信访积案去年已全部化解，本年度无新增上访。", ()),  # dealt with, nothing new
        ("2012年换届中的拉票问题已依纪查处。", ()),
        ("党委届期已满，因人选问题迟迟未能换届。", (4,)),  # a nomination problem, not a vacant post
    ],
)
def test_figures_records_and_dealt_with(text, expected):
    assert read(text)[0] == expected
    assert read(text)[1] == ()


@pytest.mark.parametrize("fixture", TUNED_ON)
def test_precision_and_recall_meet_the_target_on_the_labelled_texts(fixture):
    cases = load_cases(FIXTURES / fixture)
    scores, _ = score(cases)
    below = {
        k: (round(s.precision, 3), round(s.recall, 3)) for k, s in scores.items() if min(s.precision, s.recall) < TARGET
    }
    assert below == {}
    assert all(s.tp >= 1 for s in scores.values())  # every criterion and flag is in the set


def test_text_never_tuned_on_reads_the_six_criteria_to_the_target():
    """criteria_fresh3.toml was measured once and never tuned on (its header): the estimate of new wordings."""
    cases = load_cases(FIXTURES / "criteria_fresh3.toml")
    scores, _ = score(cases)
    below = {n: (round(scores[str(n)].precision, 3), round(scores[str(n)].recall, 3)) for n in range(1, 7)}
    assert {n: pr for n, pr in below.items() if min(pr) < TARGET} == {}
    assert sum(1 for c in cases if list(classify(c["text"]).criteria) == c["criteria"]) >= 128  # criteria only


def test_the_labelled_set_is_large_and_varied():
    cases = load_cases(FIXTURES / "criteria_labelled.toml")
    assert len(cases) >= 200
    assert sum(1 for c in cases if not c["criteria"] and not c["flags"]) >= 30  # texts that fit none
    assert sum(1 for c in cases if len(c["criteria"]) >= 2) >= 30  # combinations
    assert all(sum(1 for c in cases if n in c["criteria"]) >= 20 for n in range(1, 7))


def test_the_sample_texts_read_as_their_stated_criteria():
    p = plan(2014)
    orgs = [o for unit in p.orgs.values() for o in unit]
    wrong = [
        (o.problems, o.criteria, classify(o.problems).criteria)
        for o in orgs
        if classify(o.problems).criteria != o.criteria
    ]
    assert wrong == []
    assert [o.name for o in orgs if set(classify(o.problems).flags) != set(o.flags)] == []
    vacant = [o for o in orgs if o.secretary in (None, "空缺")]
    assert vacant and all(classify(o.problems).vacant for o in vacant)


@pytest.mark.parametrize("fixture", [*TUNED_ON, "criteria_fresh3.toml"])
def test_labels_name_only_known_criteria_and_flags_and_texts_are_unique(fixture):
    cases = load_cases(FIXTURES / fixture)
    assert all(set(c["criteria"]) <= set(CRITERIA) and set(c["flags"]) <= set(FLAGS) for c in cases)
    assert len({c["text"] for c in cases}) == len(cases)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a problem named in the second half of a combined text
        ("书记长期在外经商，班子成员相互掣肘，群众求助无门。", (1, 3, 6)),
        ("书记在外地承包工程已两年，其他成员各管一摊。", (1, 3)),
        # families of wordings, not only the phrases seen
        ("书记患脑梗后长期卧床，不能正常履职。", (1,)),
        ("原书记调走后，接班人选一直定不下来。", (1,)),
        ("书记年事已高，后继无人。", (1,)),
        ("书记工作积极性大不如前，遇事能躲就躲。", (2,)),
        ("书记为人忠厚，但稳重有余、闯劲不足。", (2,)),
        ("书记无力化解村里的矛盾。", (2,)),
        ("书记与村主任因征地问题结下过节，两人互不通气。", (3,)),
        ("书记、主任长期不和。", (3,)),
        ("两委成员谁也不服谁。", (3,)),
        ("支部换届一拖再拖。", (4,)),
        ("村党支部已到换届时间，但一直未启动。", (4,)),
        ("党员活动长期开展不了。", (5,)),
        ("支部一年到头组织不起一次活动。", (5,)),
        ("群众有事求助无门，对支部很反感。", (6,)),
        ("居民反映社区干部只拿钱不办事。", (6,)),
        # what is no criterion
        ("党员老龄化，后继乏人。", ()),  # ageing membership, not the secretary's succession
        ("服务群众的本领不强。", (6,)),  # service, not the secretary's ability
        ("支委会已连续两届未按时换届。", (4,)),  # the committee's re-election, not its meetings
        ("文体活动开展不了。", ()),
        ("书记曾在外务工5年，2012年返乡后当选。", ()),  # gone in the past
        ("书记并不是能力不足，而是村里缺资金。", ()),
        ("班子成员去年闹过矛盾，经调解已和好。", ()),
        ("原班子超期服役，今年2月已选出新一届支委。", ()),
        ("制度上墙不上心，三会一课流于形式。", (5,)),  # rules on paper, not a slack secretary
    ],
)
def test_families_of_wordings_and_what_they_are_not(text, expected):
    assert read(text)[0] == expected


def test_a_clause_naming_two_leaders_hands_both_on():
    assert read("老书记和新主任因上届选举结怨，至今心存芥蒂，配合不好。")[0] == (3,)
    assert read("书记和主任都年龄偏大，思想保守。")[0] == (2,)


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("选举前夕，有人挨户发放购物卡。", ("vote_buying",)),  # the election in one clause, the gifts in another
        ("上届村委选举，有候选人挨家挨户送烟送酒。", ("vote_buying",)),
        ("选举中，未发现送礼现象。", ()),  # denied
        ("选举前有人请党员吃饭，经查已依纪处理。", ()),  # dealt with
        ("换届选举顺利，春节期间为困难群众送米送油。", ()),  # no gift to voters
        ("换届后书记经常请客吃饭。", ()),
    ],
)
def test_a_context_in_one_clause_and_the_act_in_another(text, flags):
    assert read(text) == ((), flags)


def test_patterns_are_split_at_their_top_level_alternatives_only():
    assert criteria_regex.branches("书记(?:外出|在外)|[与和]主任|不和\\|x|(?<!群众)不满") == [
        "书记(?:外出|在外)",
        "[与和]主任",
        "不和\\|x",
        "(?<!群众)不满",
    ]
    compiled = criteria_rules._compile(["书记(?:外出|在外)|[与和]主任", "不满"])
    assert [p.pattern for p in compiled] == ["书记(?:外出|在外)|不满", "[与和]主任"]


def test_a_leading_group_of_words_is_spread_into_one_branch_per_word():
    assert criteria_regex.spread("(?:位置|(?:职|岗)位)空缺") == ["位置空缺", "职位空缺", "岗位空缺"]
    assert criteria_regex.spread("(?:位置|职位)?空缺") == ["(?:位置|职位)?空缺"]  # optional: left as it is
    assert criteria_regex.spread("(?:[与和]|同)主任") == ["(?:[与和]|同)主任"]  # a word starts with a class
    compiled = criteria_rules._compile(["(?:位置|职位)空缺|(?:[与和]|同)主任"])
    assert [p.pattern for p in compiled] == ["位置空缺|职位空缺", "(?:[与和]|同)主任"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一是书记身体不好，长期在家休养，已有一年多未到校上班。", (1,)),  # gone for long: 1, not also 2
        ("书记身体不好，工作跟不上。", (2,)),  # there but weak: 2
        ("书记身体不好，思想保守，长期在外务工。", (1, 2)),  # a weakness besides the illness still counts
    ],
)
def test_a_secretary_gone_for_long_is_not_also_weak_for_the_illness_that_took_him(text, expected):
    assert criteria.read_rules(text).criteria == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012年曾因班子不团结被约谈。", ((), ())),  # said of the past: no criterion
        ("支部曾连续两年未开展活动，至今仍未恢复。", ((5,), ())),  # ... unless it lasts
        ("书记以前长期在外务工，村里曾发生群体上访。", ((), ("petitions",))),  # a past event still flags
        ("之前换届拖了两年，去年已经换完了。", ((), ())),  # solved
        ("支部2012年成立，尚未到换届时间。", ((), ())),  # not yet due
    ],
)
def test_a_problem_of_the_past_solved_or_not_yet_due_is_no_criterion(text, expected):
    reading = criteria.read_rules(text)
    assert (reading.criteria, reading.flags) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("院长兼书记，院长一门心思搞业务。", (2,)),  # the head who is also the secretary
        ("书记由校长兼任，校长忙于教学，无暇过问党建。", (2,)),
        ("书记和院长不和，院长一门心思搞业务。", (3,)),  # another head: not the secretary's distraction
    ],
)
def test_a_head_who_is_also_the_secretary_is_spoken_of_as_the_secretary(text, expected):
    assert criteria.read_rules(text).criteria == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("党员大会一年难得开一次。", (5,)),
        ("全年仅组织集中学习1次。", (5,)),
        ("教师党员一学期也就开一两次会。", (5,)),
        ("组织生活会每年召开一次。", ()),  # the rule, not a failing
        ("今年仅有一次培训机会。", ()),
    ],
)
def test_party_meetings_held_once_or_twice_a_year_are_criterion_5(text, expected):
    assert criteria.read_rules(text).criteria == expected


def test_a_colon_before_a_short_value_keeps_the_note_in_one_clause():
    assert criteria.read_rules("书记：空；活动：无。").criteria == (1, 5)
    assert criteria.read_rules("水库管理所：书记长期在外务工。").criteria == (1,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("几个大姓谁也不服谁，换届一拖再拖。", ((4,), ("interference",))),  # clans at odds: the flag, not 3
        ("两委班子谁也不服谁。", ((3,), ())),
        ("书记长期在外务工；内耗严重。", ((1, 3), ())),  # after the secretary is gone: still the leadership
    ],
)
def test_clans_at_odds_are_interference_not_a_divided_leadership(text, expected):
    reading = criteria.read_rules(text)
    assert (reading.criteria, reading.flags) == expected


def test_a_satisfaction_score_out_of_100_is_a_figure():
    assert criteria.read_rules("群众满意度测评得分为55分。").criteria == (6,)
    assert criteria.read_rules("群众满意度测评得分为85分。").criteria == ()
    assert criteria.read_rules("满意度4.5分。").criteria == ()  # not a score out of 100


def _keys(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    reading = criteria.read_rules(text)
    return reading.criteria, reading.flags


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("职工满意率由45%提高到78%，信访总量明显下降。", ((), ())),  # a count that fell
        ("全年实现零上访，三会一课不正常。", ((5,), ())),  # a count of zero
        ("辖区未发生群体性事件。", ((), ())),  # nothing happened
        ("跑项目、调纠纷都靠别人。", ((), ())),  # settling disputes is a duty
        ("书记负责调解纠纷、处理信访等工作。", ((), ())),
        ("书记到县里开会反映了村里的困难。", ((), ())),  # a cadre reporting upward
        ("信访工作压力大，支部书记兼任信访调解员。", ((), ())),  # 信访 as a post
        ("部分老党员因待遇问题多次到县委组织部反映。", ((), ("petitions",))),  # repeatedly, upward
        ("群众多次到村部反映问题。", ((), ())),  # to the organization itself
        ("今年以来共调处矛盾纠纷12起，无越级上访。", ((), ())),  # none
        ("村民联名到镇纪委反映，隔三差五有人跑县里去告。", ((), ("petitions",))),
        ("两委之间沟通不够，相互埋怨。", ((3,), ())),  # 相互埋怨 is friction, not the people's discontent
        ("社会治安复杂，信访矛盾突出。", ((), ("petitions",))),  # 信访矛盾: no friction of the leaders
    ],
)
def test_petitions_settled_fallen_or_a_duty_are_no_petition(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两委班子开会经常吵起来，会开不成。", (3,)),  # the quarrel: 3, not 5
        ("书记和村主任不和，党员大会开不起来。", (3, 5)),  # a party meeting named: 5 as well
    ],
)
def test_a_meeting_that_cannot_be_held_for_a_quarrel_is_criterion_3_only(text, expected):
    assert criteria.read_rules(text).criteria == expected


def test_a_space_between_two_chinese_characters_parts_two_notes():
    assert criteria.read_rules("无活动 无书记").criteria == (1, 5)
    assert criteria.normalize("无活动 无书记", criteria.default_rules()) == "无活动，无书记"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("党支部战斗堡垒作用弱化，凝聚力、号召力不强，带领群众致富办法不多。", ()),  # said of the organization
        ("社区党组织化解矛盾能力不足。", ()),
        ("党支部凝聚力不强，书记能力弱。", (2,)),  # the secretary named after it
        ("支部的事根本顾不上。", (2,)),  # the organization as the object: said of the secretary
        ("党支部内耗严重。", (3,)),  # its infighting still counts
    ],
)
def test_soft_formulas_said_of_the_organization_are_no_criterion_2(text, expected):
    assert criteria.read_rules(text).criteria == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("党建工作与生产经营两张皮。", ()),  # two lines of work
        ("支委和村主任两张皮，各干各的。", (3,)),
        ("学校支部党员会一年到头开不了一次，大家各搞各的。", (5,)),  # each his own way, said of the members
        ("居委会主任出面调解，书记却说归物业管，两人当着居民的面吵了起来。", (3,)),  # two heads, then the pair
        ("书记由街道干部兼任，对社区党建过问不多。", (2,)),  # a township cadre holding the post is a secretary
        ("书记一职由乡镇一名干部兼任，一个月来不了两次。", (1,)),  # held after it emptied: a caretaker
        ("支书和村主任搞不拢，一个往东一个往西。", (3,)),  # criterion 3's across patterns are read
        ("书记长期在外经商。副书记主持工作，不在状态。", (1,)),  # 不在状态 of the deputy: no criterion 2
    ],
)
def test_who_and_what_a_phrase_is_said_of(text, expected):
    assert criteria.read_rules(text).criteria == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("村里莫得人管，老支书去年走了以后位子一直空起。", ((1,), ())),  # dialect
        ("原书记调到镇里以后，一直没选新书记。", ((1,), ())),
        ("支书三年前就去广东打工了。", ((1,), ())),
        ("书记家里开了个养猪场，天天在场里忙，党务都交给文书去办。", ((2,), ())),
        ("校长兼书记，教学任务繁重，工作比较被动。", ((2,), ())),
        ("两委在征地问题上意见不统一，争得面红耳赤。", ((3,), ())),
        ("支部是2008年选举产生的，镇里说要换届，一直拖着。", ((4,), ())),
        ("这届班子还是七年前选的。", ((4,), ())),
        ("党员冬训没人组织，支部的会好几个月开不起来。", ((5,), ())),
        ("所谓的组织生活就是念念报纸。", ((5,), ())),
        ("群众说在村里办点事比登天还难。", ((6,), ())),
        ("选村长那天有人每户发了100元。", ((), ("vote_buying",))),
        ("村里几个混混说了算，干部都不敢惹。", ((), ("interference",))),
        ("村里账目几年没理清。", ((), ("affairs_disorder",))),
        ("部分村民因低保评定不公多次到镇上吵闹。", ((), ("affairs_disorder", "petitions"))),
        ("支委3人，其中2人外出务工，支委会开不起来。", ((1, 5), ())),  # members gone: incomplete
        ("书记不会写材料，开会讲不出东西。", ((2,), ())),
        ("书记对支部工作兴趣不大，把主要精力用在了开诊所上。", ((2,), ())),
        ("选举前，有人挨家挨户拜票并承诺当选后给好处。", ((), ("vote_buying",))),
        ("书记虽已返村，但仍不安心工作。", ((2,), ())),  # back, but not settled to the job
        ("正在物色新的书记人选。", ((1,), ())),  # a successor still being sought
        ("组织生活制度已经建立，但执行不到位。", ((5,), ())),
        ("机关支部书记由分管副局长兼任，长期抓业务，党建工作挂空挡。", ((2,), ())),
        ("学校党总支长期没有换届，委员多数已退休。", ((1, 4), ())),  # most members gone: incomplete
        ("原书记长期外出的问题，已于2013年通过选派第一书记解决。", ((), ())),
        ("职工因职称评定不公意见很大。", ((6,), ())),  # a title's evaluation: no village affairs
        ("党员大会参会率低，每次开会只有三分之一的党员到会。", ((5,), ())),
        ("村干部作风霸道，群众敢怒不敢言。", ((), ())),  # the cadres' bullying: no gang
    ],
)
def test_families_of_batch_7_said_other_ways(text, expected):
    assert _keys(text) == expected


def test_the_model_adds_no_key_the_text_denies():
    text = "没有发现宗族势力干扰，但村务公开不及时。"
    assert criteria.read_rules(text).denied == frozenset({"interference"})
    reading = classify(text)  # the model leans to interference from the words it cannot read as denied
    assert reading.flags == ("affairs_disorder",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # who: the subject of the clause (not_said_by), people who only judge, the duty or quality masked
        ("村会计与书记在账目问题上吵翻。", ((), ())),  # the accountant is no leader
        ("村民与书记闹矛盾。", ((), ())),
        ("书记与村主任闹矛盾。", ((3,), ())),
        ("两委成员对书记意见较大，班子不和。", ((3,), ())),  # the leaders' complaint is friction, not 6
        ("群众对书记意见较大。", ((6,), ())),
        ("现任书记群众不认可，号召力差。", ((2, 6), ())),  # the people judge; the authority is the secretary's
        ("村两委化解矛盾能力不足。", ((), ())),  # a duty, not friction; a quality, not members short
        ("两委班子服务能力不足。", ((6,), ())),
        ("书记与村主任互相推卸责任。", ((3,), ())),  # what they do to each other: 3, not 2
        ("财务由村主任一人把持。", ((), ("affairs_disorder",))),  # the leaders' grip: no interference
        ("家族势力把持村务。", ((), ("interference",))),
        # when: a sentence opening on a bare resolution cancels the one before, unless something lasts, the
        # resolution names its own problem, or it is a numbered item of its own
        ("书记长期在外，支部活动停止。经整顿，已选举产生新的支部书记，恢复了主题党日活动。", ((), ())),
        ("书记长期在外，支部活动停止。经整顿，已选举产生新的支部书记。", ((5,), ())),  # answers the secretary only
        ("书记年老体弱，工作力不从心。去年已调整了两名委员。", ((2,), ())),  # answers someone else
        ("党员大会一年未开。目前已制定学习计划。", ((5,), ())),  # a plan made is a step, not a fix
        ("因黑恶势力插手采砂引发斗殴；经专项打击，涉案人员已判刑，现已平息。", ((), ())),
        ("村民多次到县上访。镇里已成立专班包案化解，目前仍有3户未息访。", ((), ("petitions",))),
        ("支部2010年至今未换届；去年反映的党费收缴问题已整改。", ((4,), ())),
        ("1.党员大会一年未开；2.通村路已于今年硬化完成。", ((5,), ())),
        ("站党支部多年来不换届。目前已向上级党委递交换届请示，待批复后选举。", ((4,), ())),  # a step is no fix
        ("目前已有信众200余人，基督教活动频繁。", ((), ("interference",))),  # 已有 is a count, not a fix
        ("书记长期外出务工。整改措施：三会一课不落实的要限期整改。", ((1,), ())),  # measures tell no problem
        ("书记长期在外务工。村部办公楼已于去年建成。", ((1,), ())),  # an achievement answers no problem
        ("班子一度闹矛盾，互相拆台。", ((), ())),  # said of the past
        ("宗族势力一度插手村务。", ((), ("interference",))),  # a past event still counts for a flag
        # rewritten: softened negatives, anonymized names
        ("职工对支部工作评价不是很高。", ((6,), ())),
        ("局机关党支部书记周某某2012年底借调到市委工作至今。", ((1,), ())),
    ],
)
def test_scope_of_a_clause_read_alike_for_every_key(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("村财务收支未按季公开，群众看不到账。", ((), ("affairs_disorder",))),  # any cadence
        ("村里的账从来没贴出来过，低保都给了干部亲戚。", ((), ("affairs_disorder",))),
        ("原支部撤销后新支部迟迟未成立。", ((1,), ())),
        ("书记由科主任兼任，忙于门诊和手术，支部工作多推给护士长。", ((2,), ())),
        ("书记抓党建没思路，支部工作年年老一套。", ((2,), ())),
        ("支部书记协调无力，无力制约村主任。", ((2,), ())),
        ("2014年1—10月组织活动0次。", ((5,), ())),
        ("支部活动常被取消，今年以来一次也没搞成。", ((5,), ())),
        ("对窗口服务的投诉全年47件，居民办事常常扑空。", ((6,), ())),
        ("两委班子在个别问题上存在不同看法，沟通协调还不够顺畅。", ((3,), ())),
        ("书记主任分属两家，各不相让。", ((3,), ())),
        ("党委书记与董事长在重大事项上各执一词。", ((3,), ())),
        ("村里派性严重。", ((), ())),  # factions are no clan, religion or gang
        ("村里工程都被几个地头蛇包了。", ((), ("interference",))),
        ("杨、马两姓长期不和。", ((), ("interference",))),
        ("社区书记病了快一年了，一直没来上班；现由主任主持工作。", ((1,), ())),
        ("上届班子2008年选出，因矛盾大一直没敢换。", ((4,), ())),
        ("村支书年过七旬，身体不好，近两年基本不能正常工作。", ((2,), ())),  # there but too old: 2, not 1
        ("书记长期住院，无法正常履职。", ((1,), ())),  # away: 1
        ("支书没什么本事，班子被他带得一盘散沙。", ((2,), ())),  # his weakness, not a divided leadership
    ],
)
def test_families_of_batch_8_said_other_ways(text, expected):
    assert _keys(text) == expected


def test_the_digest_of_the_modules_beside_the_rules_is_current():
    h = hashlib.sha256()
    for name in criteria.SCOPE_SOURCES:
        h.update((Path(criteria.__file__).with_name(name)).read_bytes())
    assert h.hexdigest()[:16] == criteria.SCOPE_DIGEST, "update criteria.SCOPE_DIGEST: stored readings must be re-read"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an event dealt with, in a sentence of its own that names it: cancelled wherever the text told it
        ("2022年有村民因征地补偿问题多次到县里上访。经县镇两级协调，补偿款已全部兑付，上访问题已妥善化解。", ((), ())),
        ("前两年村里有宗族势力干扰村务的情况。经过整治，宗族干扰问题已经消除。", ((), ())),
        ("换届时有候选人发红包拉票，后经查实已作处理。", ((), ())),
        ("信访积案全部化解，治安稳定。", ((), ())),
        ("去年发生过一起群体上访，目前已结案息访。", ((), ())),
        ("公司因拖欠工资引发工人聚集讨薪，工资已全部兑付，事件平息。", ((), ())),
        # found untrue
        ("有人举报书记选举时贿选，经县纪委调查，查无实据。", ((), ())),
        ("网上传言村干部拉票贿选，经核查系误传。", ((), ())),
        ("村里曾有黑恶势力插手工程，涉案人员已移送司法机关并被判刑。", ((), ())),
        ("前年发生过村民集体上访，当年即妥善处理，目前无遗留问题。", ((), ())),
        ("村民上访问题至今未得到妥善解决。", ((), ("petitions",))),  # not dealt with
        ("群众反映的问题长期得不到妥善处理，多次到县里上访。", ((6,), ("petitions",))),
        ("去年有3户村民因宅基地纠纷多次上访。经镇村两级调处，上访人表示认可，已息诉罢访。", ((), ())),
        ("去年有3户村民因宅基地纠纷多次上访，目前仍有1户未息诉罢访。", ((), ("petitions",))),
        ("去年村民反映的征地补偿信访件已按期办结。", ((), ())),
        ("有3户村民因宅基地问题多次上访，经做工作，上访人已签订息访协议。", ((), ())),
        ("以前村里经常有人上访，近两年没有再发生。", ((), ())),
        ("12345热线反映该村账目不公开，经查属实，已督促整改到位。", ((), ())),
        ("12345热线反映该村账目不公开，经查属实，已责令限期整改。", ((), ("affairs_disorder",))),  # under way
        # ... as far as the event told before is the one dealt with: vote buying is one kind of event, public order and
        # petitions, or accounts and disclosure, are several
        ("2021年换届中有候选人请客送礼。拉票问题已由镇纪委查处。", ((), ())),
        ("村里治安混乱，偷盗频发。村民上访问题已妥善化解。", ((), ("petitions",))),
        ("1. 村务公开不及时；2. 白条入账问题已整改到位。", ((), ("affairs_disorder",))),
        # what follows a heading of measures is no problem
        ("存在问题：党员大会一年未开。对策建议：规范财务管理，解决账目不公开问题。", ((5,), ())),
        # ... but a past event counts unless dealt with; so does a new one after the resolution, or one that lasts
        ("2019年村里曾发生群体性上访事件。", ((), ("petitions",))),
        ("村务公开栏2012年以来未更新。", ((), ("affairs_disorder",))),
        ("上届换届选举中有人送烟送酒拉票，至今没有查处。", ((), ("vote_buying",))),
        ("村民上访问题已化解，但今年又因土地纠纷发生集体上访2起；支部党员大会一年没开。", ((5,), ("petitions",))),
        ("去年曾有村民集体到镇政府上访。上访问题已基本化解，但仍有3户未息访。", ((), ("petitions",))),
        # said of another place
        ("邻村曾发生家族势力干扰选举问题，本村未发现。", ((), ())),
        ("据了解，隔壁村去年有人拉票贿选，本村没有类似情况。", ((), ())),
        ("其他地方出现过拉票贿选问题，我们村没有。", ((), ())),
        ("全镇有两个村发生过宗族干扰选举，本村没有发现此类问题。", ((), ())),
        ("邻县曾有村民因征地集体上访，本村群众情绪稳定。", ((), ())),
        ("网传拉票问题发生在邻村，与本村无关。", ((), ())),
        ("该村因山林纠纷与邻村矛盾尖锐，村民多次越级上访。", ((), ("petitions",))),  # the village's own quarrel
        ("有人组织村民到邻村参加宗教聚会。", ((), ("interference",))),  # the village's own people
        ("书记借调外单位一年多，支部工作停滞。", ((1,), ())),  # the secretary gone elsewhere
        # denied, prevented, a campaign, a risk
        ("经摸排，该村没有宗族干扰，无拉票贿选现象，未见上访。", ((), ())),
        ("换届前召开会议，严防拉票贿选。", ((), ())),
        ("村里开展扫黑除恶宣传，组织党员学习。", ((), ())),
        ("要警惕宗族势力干扰选举。", ((), ())),
        ("镇里拟开展打击黑恶势力专项行动。", ((), ())),
        # a measure or a plan is no event
        ("支部党员大会一年未开。镇党委要求村务每季度公开一次，拟于年内完成清账。", ((5,), ())),
        ("书记长期在外。拟对村级财务进行审计，严防白条入账。", ((1,), ())),
        ("三会一课不正常。要求支部加强宗教政策学习，抵制邪教渗透。", ((5,), ())),
        ("黑恶势力把持村务，打击报复举报人。", ((), ("interference",))),  # retaliation is no campaign
        ("今年未收到群众上访，治安稳定。", ((), ())),
        ("支部加强民族宗教工作，做好宗教政策宣传。", ((), ())),
        ("如处理不当，可能引发群体上访。", ((), ())),
        ("村里有党员参加宗教活动，支部不管不问。", ((), ("interference",))),  # an event, not a duty
        ("支部重点是防止拉票贿选，但党员大会一年只开了一次。", ((5,), ())),
    ],
)
def test_a_flag_dealt_with_found_untrue_elsewhere_or_only_feared_is_not_read(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the village head's absence is no vacant secretary; the secretary's, or a head's who is also secretary, is
        ("村委会主任长期在外打工，村里工作由书记主持，运转正常。", ()),
        ("目前存在的问题是村委会主任长期在外打工，村委会工作由支部书记兼顾。", ()),
        ("院长兼书记，长期在外进修，支部工作停滞。", (1,)),
        ("书记去年离职，暂缺。", (1,)),
        # an accounting service is no caretaker; slack service is no divided leadership; a body that cannot work is 1
        ("村财务已委托镇代理记账，每季度公开。", ()),
        ("村干部办事推诿扯皮，群众意见很大。", (6,)),
        ("部分支委对居民诉求回应不及时；小区物业矛盾突出，居民意见很大。", (6,)),
        ("支委中两人调走，至今未补选，支委会无法正常运转。", (1,)),
        ("支委会无法正常召开，党员大会一年未开。", (5,)),
        # a comparison is no past; the inaction of the branch is the people's discontent, not the secretary's failing
        ("书记比以前消极，多次表示不想干了。", (2,)),
        ("书记以前消极，现在干劲很足。", ()),
        ("群众反映村里工程被人把持，对支部不作为意见很大。", (6,)),
        ("党员外出多，支部长期不活动。", (5,)),
        ("书记选上以后就没怎么管过村里的事。", (2,)),
        ("村干部对群众诉求一拖再拖。", (6,)),
    ],
)
def test_criteria_families_of_batch_9_said_other_ways(text, expected):
    assert _keys(text)[0] == expected


def test_measures_are_no_problem_for_the_rules_nor_for_the_model():
    text = "党员大会一年未开。整改措施为解决书记长期在外问题，选派第一书记。"
    assert read(text) == ((5,), ()) and 1 in criteria.read_rules(text).denied
    not_carried_out = "书记长期在外，党员大会一年未开，整改措施不落实。"  # no heading
    assert read(not_carried_out) == ((1, 5), ())


def test_the_model_adds_no_flag_named_only_as_a_risk_or_dealt_with():
    feared = classify("土地流转处理不好容易引发群体性事件。")
    assert (
        "petitions" not in feared.flags
        and "petitions" in criteria.read_rules("土地流转处理不好容易引发群体性事件。").denied
    )
    dealt = criteria.read_rules("2022年村民多次到县里上访。上访问题已妥善化解。")
    assert dealt.flags == () and "petitions" in dealt.denied and dealt.confidence == criteria.LOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a history's turn, a correction on the next line of a chat, an interview's answer read with its question
        ("2020年两委班子矛盾很深，经常吵架；2021年镇里调整了村主任，两委关系理顺；目前工作正常。", ((), ())),
        (
            "2019年书记与校长不和，互相拆台；2020年矛盾激化；2021年校长调走后矛盾得到化解。现在党课不正常开展。",
            ((5,), ()),
        ),
        ("书记常年在外打工，支部长期无人主持；2022年3月重新选配了书记。", ((), ())),
        ("书记因病长期住院。新书记已经到岗了，工作恢复正常。", ((), ())),
        ("张村：书记长期在外经商\n张村：更正，刚才报错了，是村主任在外经商，书记在村里\n镇组织办：收到", ((), ())),
        ("问：支委会多久开一次？\n答：一年也就开一次。", ((5,), ())),
        ("问：党小组会开吗？\n答：不开，好几年没开过了。", ((5,), ())),
        ("问：有人说你们选举时请客拉票，是否属实？\n答：不属实，经镇纪委核查没有这回事。", ((), ())),
        ("问：群众反映社区服务态度差？\n答：已经澄清了，是误会。", ((), ())),
        ("村里三会一课按时召开，组织生活正常，群众满意率92%。", ((), ())),
        ("书记和主任又掐起来了，村里的事没人拍板。", ((3,), ())),
        ("党支部就挂块牌子，平时没什么活动。", ((5,), ())),
        ("这个支部今年就开了一次会。", ((5,), ())),
        ("签到表都是同一批人签的，记录是事后补的。", ((5,), ())),
        ("换届时有人给每户送了两桶油，一票一百。", ((), ("vote_buying",))),
        ("以王某为首的团伙长期垄断砂石运输。", ((), ("interference",))),
        ("村民代表会议制度执行不力，土地发包未经民主程序。", ((), ("affairs_disorder",))),
        ("辖区刑事案件同比上升20%。", ((), ("petitions",))),
        ("书记兼任合作社理事长，没时间管党建，支部活动往后推。", ((2,), ())),
        ("满意90%，基本满意6%，不满意4%。", ((), ())),
        ("群众在村民群里骂村干部不办事。", ((6,), ())),
        ("路修到一半停在那里，施工队走了。", ((), ())),
        ("书记在城里开店，一年回村没几趟。", ((1,), ())),
        ("书记调走后，一直没人接手。", ((1,), ())),
        ("问：支部多久开一次党员大会？答：书记说按时开，实际上没怎么开。", ((5,), ())),
        ("村干部从来不上门走访，群众有事打电话也不接。", ((6,), ())),
        ("书记和主任各自拉拢一部分党员，互相拆台。", ((3,), ())),
        ("矛盾化解能力不足，书记遇事只会上交。", ((2,), ())),
        ("上届到期一年多了还没换。", ((4,), ())),
    ],
)
def test_families_of_batch_10_said_other_ways(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # more ways to correct, decide, close a history, deny an answer; nobody yields; calls not answered
        ("张村：书记长期在外经商\n张村：纠正一下，刚才发错了，书记在村里\n组织办：好", ((), ())),
        (
            "研判会：镇长说，该村书记能力不足，班子不团结。镇纪委书记不同意，认为班子团结、书记干事有劲。会议研究决定，暂不列入。",
            ((), ()),
        ),
        ("研判会：镇长说，该村书记能力不足。会议决定列入软弱涣散村。", ((2,), ())),
        ("2021年书记外出务工，支部无人主持；2022年镇党委选派了新书记。", ((), ())),
        ("2020年被列为软弱涣散村；2021年换届后班子配齐。", ((), ())),
        ("问：党课上吗？\n答：没上过。", ((5,), ())),
        ("问：有人举报你们优亲厚友，是真的吗？\n答：没有的事。", ((), ())),
        ("书记和主任谁也不理谁。", ((3,), ())),
        ("群众打电话给村干部经常没人接，办事看脸色。", ((6,), ())),
    ],
)
def test_corrections_decisions_and_answers_said_other_ways(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("问：有人上访吗？\n答：没有，今年一起都没有。", ((), ())),
        ("问：书记是不是长期在外？\n答：不是。", ((), ())),
        ("问：有没有人拉票？\n答（村民王某）：没有。", ((), ())),
        ("问：党员大会开吗？\n答：没有。", ((5,), ())),  # no to a question naming no problem states the problem
        ("问：有人上访吗？\n答：有，去年去了县里两次。", ((), ("petitions",))),
        ("问：村里有没有拉票的情况？\n答：有，上次选举有人送烟送酒。", ((), ("vote_buying",))),
    ],
)
def test_an_answer_saying_no_denies_what_its_question_named(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a field answered yes states what its label says; answered no, the keys its label names are denied
        ("是否存在贿选：是", ((), ("vote_buying",))),
        ("是否存在宗族干扰：否；是否存在贿选：否", ((), ())),
        ("有无上访：有，去年去了县里两次", ((), ("petitions",))),
        ("有无上访：无", ((), ())),
        ("存在拉票贿选问题：否", ((), ())),
        ("①书记缺职：否 ②班子不团结：否 ③长期不换届：否 ④组织生活不正常：是", ((5,), ())),
        ("书记缺职：是", ((1,), ())),
        # a label naming no problem: answered no, what it states answered no (班子配备不齐全); yes, nothing
        ("班子配备是否齐全：否", ((1,), ())),
        ("书记是否胜任：否", ((2,), ())),
        ("班子是否团结——否", ((3,), ())),
        ("是否按期换届：否（上届2017年选举）", ((4,), ())),  # the answer's note in brackets: a clause of its own
        ("是否存在以下情形：书记长期缺职（否）、班子不团结（是）、长期不换届（否）", ((3,), ())),  # answers in brackets
        ("书记缺职：×；班子不团结：√", ((3,), ())),  # ticks and crosses
        ("是否存在贿选？否。是否长期不换届？是。", ((4,), ())),  # a question mark before a bare answer
        ("①书记缺职 否 ②班子不团结\t否 ③组织生活不正常 是", ((5,), ())),  # cells of a row copied from a sheet
        ("书记长期外出务工，无", ((1,), ())),  # a typed comma parts no cells: 无 is no answer to the clause before
        ("党组织班子是否团结——是；书记是否胜任——是；是否按时换届——是", ((), ())),
        # a field naming no problem is left alone: 其他：无 is nothing, 三会一课：无 and 书记：无 read as written
        ("其他：无；服务群众方面问题：无", ((), ())),
        ("三会一课：无", ((5,), ())),
        ("书记：无", ((1,), ())),
        ("组织生活：正常", ((), ())),
        # a record's state: closed (销号：是, 已整改到位) resolves what the record told before; open (销号：否, 整改中)
        # keeps it, even after a closing one; a problem told after a state starts the next record
        ("问题：支部书记长期外出务工，工作停滞。\n整改情况：已于2024年4月调整书记。\n是否销号：是", ((), ())),
        ("问题：支部书记长期外出务工，工作停滞。\n整改情况：已于2024年4月调整书记。\n是否销号：否", ((1,), ())),
        ("问题：书记长期外出务工。\n整改情况：已整改到位。", ((), ())),
        ("问题：书记长期外出务工。\n整改情况：已整改到位。\n销号：否", ((1,), ())),
        ("问题：书记长期外出务工。\n整改情况：已整改到位。\n暂缓销号。", ((1,), ())),
        ("问题①书记与厂长不团结（已销号）；②书记长期驻外地分厂，支部工作无人主持（整改中，未销号）", ((1,), ())),
        ("问题：书记不胜任。整改：已调整书记。销号：是。\n新发现问题：支委会一年未开。", ((5,), ())),
        ("班子不团结问题已销号；书记长期在外务工。", ((1,), ())),  # a state naming its own problem closes only it
        ("问题：书记长期在外。\n是否完成整改：是", ((), ())),
        ("问题：书记长期在外。\n整改情况：已完成", ((), ())),  # the label says what is done
        ("问题：书记长期在外。\n整改状态：未完成", ((1,), ())),
        ("问题：书记长期在外。\n已申请销号", ((1,), ())),  # asked for, not granted
        ("问题：书记长期在外。\n是否销号：待验收", ((1,), ())),  # a question is no state; its answer is none either
        ("问题：书记长期在外。\n拟销号：否", ((1,), ())),
        ("问题：书记长期在外。\n整改措施：选派驻村第一书记。\n是否销号：是", ((), ())),  # a state after measures
        ("问题：书记不胜任。整改措施：调整书记。销号：是。\n新发现问题：支委会一年未开。", ((5,), ())),
        # an event told in a resolution's sentence is dealt with wherever the text told it before (the same event)
        ("是否存在换届拉票贿选：是。上届选举有人给党员送烟酒拉票，涉事人员已处理完毕。", ((), ())),
        ("一是党员参与宗教活动；二是涉黑人员曾插手工程，已被打掉。", ((), ("interference",))),
    ],
)
def test_forms_read_as_fields_and_a_records_state(text, expected):
    assert _keys(text) == expected


def test_a_fields_evidence_is_the_phrase_that_made_it():
    affirmed = criteria.read_rules("是否存在书记长期缺职：是")
    assert affirmed.criteria == (1,) and "书记长期缺职" in affirmed.evidence[1]
    assert criteria.read_rules("班子配备是否齐全：否").evidence[1] == ["班子配备是否齐全:否"]  # the field as written


def test_a_field_answered_against_a_problem_denies_it_to_the_model():
    assert {1, 3, 4} <= criteria.read_rules("①书记缺职：否 ②班子不团结：否 ③长期不换届：否").denied
    assert 2 in criteria.read_rules("书记是否胜任：是").denied  # what a no would have stated
    assert 1 in criteria.read_rules("问题：书记长期外出务工。\n是否销号：是").denied  # closed
    assert classify("是否存在宗族干扰：否；是否存在贿选：否").flags == ()


def test_a_closed_record_and_a_field_answered_no_are_not_left_unread():
    assert criteria.read_rules("问题：支部书记长期外出务工，工作停滞。\n是否销号：是").confidence == criteria.HIGH
    assert criteria.read_rules("其他问题：无").confidence == criteria.HIGH


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a checklist's marks: a marked item states its label, an unmarked one denies it; marks before or after items
        ("排查结果：■书记长期外出务工 □班子不团结 □三会一课不正常 ■群众意见很大", ((1, 6), ())),
        ("☐书记空缺 ☑超期未换届 ☐存在拉票", ((4,), ())),
        ("书记不胜任（ ）长期不换届（√）组织生活不正常（√）", ((4, 5), ())),
        ("支委不齐× 党员大会不开√ 办事推诿√", ((5, 6), ())),
        ("●宗族势力干扰选举 ○群体上访", ((), ("interference",))),
        ("□书记长期缺职 □长期不换届 □班子内耗。经查以上均未发现。", ((), ())),
        ("■超期未换届（上届2016年）□书记外出（已于今年返村）", ((4,), ())),  # a note stays with its item
    ],
)
def test_a_checklists_marks_answer_its_items(text, expected):
    assert _keys(text) == expected


def test_an_unmarked_item_denies_its_keys_to_the_model():
    assert {1, 3} <= criteria.read_rules("□书记长期缺职 □班子内耗 ■党员大会不开").denied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a chat log's turns are sentences: a later turn denies, corrects or confirms the one before
        ("【陈】听说书记跟主任闹翻了【周】我问过了，是误传，两人配合得挺好", ((), ())),
        ("【陈】那党员大会开不开【周】开的，上月刚开过", ((), ())),
        ("【陈】问题有两条：书记外出务工两年没回来，账目不公开【周】第2条不对，账上月刚公布过", ((1,), ())),
        ("【陈】换届的事呢【周】早就超期了，一直没换", ((4,), ())),
    ],
)
def test_a_chat_logs_turns_answer_each_other(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # colloquial speech: gone far to work and never seen; a caretaker for now; soft, lost in the job
        ("咱村支书早几年就去内蒙古种地了，一年到头见不着人影。", ((1,), ())),
        ("书记退休快一年了，现在还是副书记在那儿顶着。", ((1,), ())),
        ("支书人不坏，就是太软，上面叫干啥就干啥。", ((2,), ())),
        ("新书记上任半年，工作理不清头绪。", ((2,), ())),
        # a look back: still so this year is current; fixed this year is not; an item not listed again is only itself
        ("去年书记住院，今年仍在住院，支部的事由一名老党员临时召集。", ((1,), ())),
        ("一是去年党员大会不开的问题今年仍未解决；二是去年书记外出问题，今年已返村，不再列入。", ((5,), ())),
        ("去年财务公开不规范问题，今年已建立按月公开制度。", ((), ())),
        ("村务公开栏仍停留在前年。", ((), ("affairs_disorder",))),
        # why a report is late is no criterion
        ("关于迟报的说明：本单位报表因支部换届推迟。", ((), ())),
    ],
)
def test_colloquial_speech_a_look_back_and_a_late_report(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a finding answers the report told before it in its sentence, not the sentence before
        ("书记能力不足；另有人反映支部账目不清，经核查不属实。", ((2,), ())),
        ("曾有人举报村主任换届时拉票，经核查不实。", ((), ())),
        ("当年换届有人拉票，后来查了，处理了三个人。", ((), ())),
        ("以前换届拖了好多年，前年按时换的届。", ((), ())),
        ("支部已连续两届没有按期换届。", ((4,), ())),
        # the same person still (还是原来那人) lasts; a meeting chaired by a member now and then is no caretaker
        ("换届后书记还是原来那人，能力跟不上。", ((2,), ())),
        ("书记忙于教学，支部会议常由宣传委员代为主持。", ((2,), ())),
        ("书记前年辞了，到现在也没人愿意接。", ((1,), ())),
        ("找他开个证明，打官腔，跑了好几回都没办成。", ((6,), ())),
        ("为土地的事闹到县里好几回，还堵过乡政府大门。", ((), ("petitions",))),
        ("党员大会三年来只开过2次。", ((5,), ())),
        ("××村党支部：□书记外出 ■支委会不开", ((5,), ())),  # a name left out (××) is no mark
    ],
)
def test_reports_findings_and_plain_speech(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a score sheet's deductions are items; a closing state naming last year's item closes only that
        ("扣2分：支委会一年未开；扣1分：村务不公开。（去年扣分项“书记外出”今年已销号）", ((5,), ("affairs_disorder",))),
        # a closing state after a clause naming its problem closes only that problem
        ("①两委不团结，互相拆台；②书记长期住院的问题，今年已出院，整改到位。", ((3,), ())),
        # a head who is also the secretary (是副校长兼的) is the secretary; an answer yes to activities is no 5
        ("问：支部书记怎么样？答：是副校长兼的，支部的事全推给委员，自己几乎不过问。", ((2,), ())),
        ("问：支部平时有活动吗？答：有。", ((), ())),
        # rumours a finding answers (盛传…系谣传); public order (聚赌, 群体访, 报警)
        ("支委只剩两人，一直没补选。村里风传书记要走，经了解系谣传。", ((1,), ())),
        ("村里有人设局聚赌，今年群体访2起。", ((), ("petitions",))),
        ("问：谁在负责？答：书记在外打工多年，开会啥的早停了。", ((1, 5), ())),
    ],
)
def test_score_sheets_records_and_answers(text, expected):
    assert _keys(text) == expected


def test_an_answer_yes_about_activities_denies_5_to_the_model():
    assert 5 in criteria.read_rules("问：支部平时有活动吗？答：有。").denied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a field's yes and no offered with marks: the marked one is the answer
        ("是否存在贿选：是□否☑；是否长期不换届：是■否□", ((4,), ())),
        ("书记缺职 ☐是 ☑否；班子不团结 ☑是 ☐否", ((3,), ())),
        ("[√]书记长期外出 [ ]班子不团结 [√]党员大会不开", ((1, 5), ())),  # square brackets
        ("〖甲〗听说书记和主任不和〖乙〗核实过了，是误会，两人配合很好", ((), ())),
        ("咱村书记啥事都不管，冇人找得到他商量。", ((2,), ())),
    ],
)
def test_marked_options_and_more_plain_speech(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a note right after an item's mark is the item's (书记履职■（…）); a post held (兼任) is no subject
        ("自查：1.班子配备□ 2.书记履职■（兼任厂长，精力不够，党建工作落实不了） 3.团结□", ((2,), ())),
        # gone and not back, no one minding it now, months said loosely (3个多月)
        ("书记去年秋天去了海南，一去就没回来。", ((1,), ())),
        ("书记辞职了，剩下的委员调走一个，现在没人管。", ((1,), ())),
        ("支部书记中风住院已3个多月。", ((1,), ())),
        ("问：两委几个人？答：应该五个，现在就剩两个了。", ((1,), ())),
        # years without a re-election, never on the agenda; meetings said short (三会未开); activity not held
        ("支部2012年成立，十多年没换过届。", ((4,), ())),
        ("换届的事一直没提上日程。", ((4,), ())),
        ("支委不齐，三会未开。", ((1, 5), ())),
        ("支部一年多没活动。", ((5,), ())),
        ("全年有好几起窗口服务投诉。", ((6,), ())),
        # gone already (已不存在); worked out after a short talk (已沟通化解); the economy an empty shell is no 1
        ("班子内耗随着原主任调走已不存在。", ((), ())),
        ("有党员反映委员之间有矛盾，已沟通化解。", ((), ())),
        ("村集体经济仍是空壳。", ((), ())),
        ("书记长期在外，党建工作由组织委员代为应付。", ((1,), ())),
    ],
)
def test_notes_absences_and_plain_counts(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a finding answers the report before it, even after naming the matter itself
        ("有人反映书记与厂长不和。经调查：两人对项目有不同意见，属正常分歧，反映不属实。", ((), ())),
        # a turn that only says 不对 corrects the one before
        ("【甲】书记长期外出务工【乙】不对，书记早回来了，就是对党建不上心", ((2,), ())),
        ("【甲】支部有没有组织学习【乙】有，每月都学", ((), ())),  # asked either way, answered yes
        ("有人说书记跟主任不和，那是瞎传。", ((), ())),
        ("书记年纪大了，脑子跟不上趟，上面的事到他那儿就卡住了。", ((2,), ())),
        ("支委会换届已拖了两年未举行。", ((4,), ())),  # a re-election not held is no meeting not held
        ("这几年支部啥活动都没有。", ((5,), ())),
        ("居民说社区干部只会发通知，不解决问题。", ((6,), ())),
        ("社区干部上班时间经常不在岗，办事找不到人。", ((6,), ())),
    ],
)
def test_findings_corrections_and_plain_speech(text, expected):
    assert _keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("站 所 支部  书记 长期 病休 在家   工作 由 副站长 临时 代管", (1,)),  # spaces between words, not notes
        ("卫生院 支部  书记 院长  矛盾  公开化 ，  职工 分 两派", (3,)),
        ("书记年龄偏大 思路窄 工作跟不上趟 群众意见很大", (2, 6)),  # spaces between notes
        ("是否存在书记缺职：否 是否存在班子内耗：是 是否存在长期不换届：否", (3,)),  # a form's fields, spaced
        ("sj长期在外跑运输/zb无人主持/3h1k基本没开/换届21年已完成", (1, 5)),  # pinyin initials; a slash lists notes
        ("2w班子不全，zwh一年没开过", (1, 5)),
    ],
)
def test_spaced_words_pinyin_initials_and_slashed_notes(text, expected):
    assert read(text)[0] == expected


def test_readings_awaited_from_elsewhere_are_remembered_when_first_needed(caplog):
    """The reader's pool hands criteria futures of its readings (await_readings): classify_many waits for them, a
    failed one is read here, remembered(wait=False) never waits, and forget drops what is still awaited."""
    from concurrent.futures import Future

    absent, quarrel = "书记长期外出务工，支部工作无人主持。", "班子不团结，内耗严重。"
    other = "支委缺额3人，班子配备不齐。"
    criteria.forget()
    pending, failed = Future(), Future()
    criteria.await_readings([pending, failed])
    assert criteria.remembered(absent, wait=False) is None  # not done: no wait
    pending.set_result({absent: criteria.read_ahead([quarrel])[quarrel]})  # a reading only the future could give
    failed.set_exception(RuntimeError("a worker died"))
    read = criteria.classify_many(pd.Series([absent, other]))
    assert read[0] == criteria.classify(quarrel)  # the awaited reading, not one made here
    assert read[1] == criteria.classify(other)  # its future failed: read here
    assert "did not read" in caplog.text
    late = Future()
    criteria.await_readings([late])
    criteria.forget()
    assert late.cancelled()
    assert criteria.remembered(absent) is None
