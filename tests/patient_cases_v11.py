"""New clinical patient cases for the recommendation engine (contract version 1 and 1.1).

These cases are meant to be added to the ``CASES`` table in ``tests/test_recommend_cases.py``.
Each case is one patient's answers, built by ``patient()`` from field names and values in
/work/shared/spec/questionnaire-v1.md (version 1 plus the version 1.1 additions), and what a
cautious clinician would expect the engine to say. The expectations were written from published
guidance, not from the engine's current output.

Expectation keys (a key is left out when the guidance does not decide it):

- ``urgency``: the exact urgency, "emergency", "soon" or "routine";
- ``first``: the role slug that must be rank 1;
- ``first_any``: role slugs any of which is clinically acceptable at rank 1 (used where the
  guidance accepts more than one door);
- ``top3``: role slugs that must all be within the first three;
- ``not_top3``: role slugs that must not be within the first three;
- ``not_first``: role slugs that must not be rank 1;
- ``see_also``: ``who`` values that must appear in the response's ``see_also`` list;
- ``crisis``: True if the response must carry ``crisis``, False if it must not (contract 1.1:
  present exactly when ``self_harm_thoughts`` is ticked or ``mood_or_sleep_affected`` is true).

The comment above each case names the guidance it rests on: a section of
/work/shared/reference/domain.md ("domain.md §4a") or an item of
/work/shared/reference/domain-addendum.md ("addendum A1.2"), with the source and its grade.
No case rests on a fact graded C alone; where a C-graded design note is mentioned, an A or B
fact or the contract carries the expectation.

Conventions:

- ``age_years``, when given, lies inside ``age_group`` (child 0-17, adult 18-64,
  older_adult 65-120).
- The questionnaire has no field for sex. A case about belly pain names ``gastroenterologist``
  in ``see_also``, a case about pelvic pain names ``gynecologist`` and a case about groin or
  testicle pain names ``urologist``; an engine that lists both gastroenterologist and
  gynecologist for ``abdomen_or_pelvis`` satisfies all of them.
- Emergencies are checked with ``EMERGENCY`` (emergency, emergency-physician first); most also
  say whether ``crisis`` must be present.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SPEC_NEW_RED_FLAGS, required_answers


def patient(
    *,
    duration: str,
    situation: str,
    locations: list[str],
    severity: int,
    red_flags: list[str] | None = None,
    age_group: str = "adult",
    **optional: Any,
) -> dict[str, Any]:
    """One request body. No red flags and an adult unless the case says otherwise."""
    return required_answers(
        red_flags=red_flags or ["none"],
        age_group=age_group,
        duration=duration,
        situation=situation,
        locations=locations,
        severity=severity,
        **optional,
    )


# Shorthand used in the table below.
PCP = "primary-care-physician"
PT = "physical-therapist"
PSYCH = "pain-psychologist"
PAIN_MD = "pain-medicine-physician"
PALLIATIVE = "palliative-care-physician"
ED = "emergency-physician"
ORTHO = "orthopedic-surgeon"
NSURG = "neurosurgeon"
RHEUM = "rheumatologist"
NEURO = "neurologist"
PHYSIATRIST = "physiatrist"
ANES = "anesthesiologist"
MIGRAINE = "throbbing_with_nausea_or_light_sensitivity"
INFLAMMATORY = ["swollen_warm_joints", "morning_stiffness"]
NEW_RED_FLAGS = SPEC_NEW_RED_FLAGS
ALL_PREFERENCES = [
    "prefer_non_drug",
    "open_to_injections",
    "want_surgical_opinion",
    "no_procedures",
    "want_to_reduce_opioids",
]
EMERGENCY = {"urgency": "emergency", "first": ED}
EMERGENCY_NO_CRISIS = {**EMERGENCY, "crisis": False}
EMERGENCY_WITH_CRISIS = {**EMERGENCY, "crisis": True}


NEW_CASES = [
    # ==== 1. emergencies: the new red flags, alone and mixed ====
    # addendum A1.2 (MedlinePlus, A) + A1.4 (NHS SYB Healthier Together, A): sudden testicle
    # pain is a surgical emergency; contract 1.1: any red flag -> emergency, ED first
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_group="child",
            age_years=14,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["groin_or_genitals"],
            severity=9,
        ),
        EMERGENCY_NO_CRISIS,
        id="torsion-teenager",
    ),
    # addendum A1.6 (B, derived from A1.1-A1.4 incl. A): pain that eases does not rule torsion
    # out; contract: preferences and low severity never soften a red flag
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_group="child",
            age_years=16,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["groin_or_genitals", "abdomen_or_pelvis"],
            severity=3,
            tried=["pain_medication"],
            preferences=["prefer_non_drug", "no_procedures"],
        ),
        EMERGENCY_NO_CRISIS,
        id="torsion-pain-easing-prefers-no-procedures",
    ),
    # addendum A2.1 (nidirect, A): sudden belly or lower back pain with a burst aneurysm ->
    # call 999/911; A2.3 (A): highest risk in men over 65
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_group="older_adult",
            age_years=74,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis", "back"],
            severity=9,
        ),
        EMERGENCY_NO_CRISIS,
        id="aaa-older-man-belly-pain-through-to-back",
    ),
    # addendum A2.1 (nidirect, A) + contract: a known back problem and a wish for a surgeon do
    # not turn sudden belly-to-back pain into a back-pain referral
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_group="older_adult",
            age_years=68,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back", "abdomen_or_pelvis"],
            qualities=["aching_or_stiff"],
            severity=8,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            preferences=["want_surgical_opinion"],
        ),
        EMERGENCY,
        id="aaa-on-top-of-chronic-back-pain-wants-surgeon",
    ),
    # contract 1.1 (kidney stone named; the flag covers sudden severe flank or groin pain) +
    # domain.md §1a row 12 (renal colic is emergency-department work)
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_years=41,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back", "abdomen_or_pelvis", "groin_or_genitals"],
            severity=10,
        ),
        EMERGENCY_NO_CRISIS,
        id="kidney-stone-flank-to-groin",
    ),
    # contract 1.1: the flag wins over a long-term condition, opioid use and a wish to reduce
    # opioids
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            duration="6_weeks_to_3_months",
            situation="long_term_condition",
            locations=["back", "groin_or_genitals"],
            severity=8,
            tried=["opioid_medicine", "pain_medication"],
            preferences=["want_to_reduce_opioids"],
        ),
        EMERGENCY_NO_CRISIS,
        id="kidney-stone-recurrent-on-opioids",
    ),
    # addendum A8.3 (NIDDK, A): suspected appendicitis -> ED right away; A8.4 (B): harder to
    # recognise in young children
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_group="child",
            age_years=10,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=7,
        ),
        EMERGENCY_NO_CRISIS,
        id="appendicitis-child",
    ),
    # addendum A8.1 + A8.3 (NIDDK, A): a GP visit and painkillers already tried do not make it
    # less of an emergency
    pytest.param(
        patient(
            red_flags=["sudden_belly_groin_or_testicle_pain"],
            age_years=24,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
        ),
        EMERGENCY,
        id="appendicitis-adult-after-gp-visit",
    ),
    # addendum C10.6 (Saskatchewan Health Authority, B): calf swelling after surgery (DVT)
    # needs urgent care; contract 1.1: swollen_painful_leg is a red flag -> emergency
    pytest.param(
        patient(
            red_flags=["swollen_painful_leg"],
            age_group="older_adult",
            age_years=69,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["arms_or_legs", "joints"],
            severity=6,
            tried=["surgery", "pain_medication"],
        ),
        EMERGENCY_NO_CRISIS,
        id="blood-clot-after-knee-surgery",
    ),
    # contract 1.1 (blood clot after a long journey named in the flag's meaning)
    pytest.param(
        patient(
            red_flags=["swollen_painful_leg"],
            age_years=45,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["arms_or_legs"],
            severity=4,
        ),
        EMERGENCY_NO_CRISIS,
        id="blood-clot-after-long-flight",
    ),
    # contract 1.1: a swollen leg in someone with arthritis and a non-drug wish is still the flag
    pytest.param(
        patient(
            red_flags=["swollen_painful_leg"],
            age_group="older_adult",
            duration="over_3_months",
            situation="long_term_condition",
            locations=["arms_or_legs", "joints"],
            qualities=["aching_or_stiff", "swollen_warm_joints"],
            severity=5,
            tried=["primary_care_visit"],
            preferences=["prefer_non_drug"],
        ),
        EMERGENCY,
        id="blood-clot-older-adult-with-arthritis-prefers-non-drug",
    ),
    # addendum A3.1 (WHO/JHU Family Planning Handbook, A): ruptured ectopic pregnancy is
    # life-threatening; contract 1.1 flag -> emergency
    pytest.param(
        patient(
            red_flags=["pregnant_with_pain_or_bleeding"],
            age_years=27,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=7,
        ),
        EMERGENCY_NO_CRISIS,
        id="possible-ectopic-pregnancy",
    ),
    # addendum A3.1 (A) + A3.3 (B): pregnancy with pain or bleeding is not a pelvic-pain
    # specialist question, even with known pelvic pain; mood affected -> crisis (contract 1.1)
    pytest.param(
        patient(
            red_flags=["pregnant_with_pain_or_bleeding"],
            age_years=33,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["abdomen_or_pelvis"],
            severity=3,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        EMERGENCY_WITH_CRISIS,
        id="pregnant-bleeding-with-known-pelvic-pain-mood",
    ),
    # addendum A3.1 (A) + A3.2 (B): symptoms from week 4; a teenager can be pregnant too
    pytest.param(
        patient(
            red_flags=["pregnant_with_pain_or_bleeding"],
            age_group="child",
            age_years=16,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis", "back"],
            severity=6,
        ),
        EMERGENCY_NO_CRISIS,
        id="pregnant-teenager-pelvic-pain",
    ),
    # addendum A6.1 (NICE QS74, A) + A6.3 (NICE NG232 update, A): head injury on an
    # anticoagulant -> ED and CT, even if the person feels well (A6.6, B derived from A)
    pytest.param(
        patient(
            red_flags=["head_injury_on_blood_thinners"],
            age_group="older_adult",
            age_years=81,
            duration="under_6_weeks",
            situation="injury",
            locations=["head"],
            severity=1,
            tried=["nothing_yet"],
        ),
        EMERGENCY_NO_CRISIS,
        id="head-knock-on-warfarin-feels-well",
    ),
    # addendum A6.2 (B: any anticoagulant) + A6.3 (A); contract: preferences never change an
    # emergency
    pytest.param(
        patient(
            red_flags=["head_injury_on_blood_thinners"],
            age_years=58,
            duration="under_6_weeks",
            situation="injury",
            locations=["head", "neck"],
            qualities=["aching_or_stiff"],
            severity=3,
            preferences=["prefer_non_drug", "no_procedures"],
        ),
        EMERGENCY_NO_CRISIS,
        id="head-knock-on-apixaban-neck-ache-prefers-no-procedures",
    ),
    # addendum B1 (SAMHSA 988, A) + B12 (Racine 2018, A copy): chronic pain doubles suicide
    # risk; contract 1.1: self_harm_thoughts -> emergency, ED first, crisis present
    pytest.param(
        patient(
            red_flags=["self_harm_thoughts"],
            age_years=46,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back"],
            severity=7,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            mood_or_sleep_affected=True,
        ),
        EMERGENCY_WITH_CRISIS,
        id="self-harm-thoughts-chronic-back-pain",
    ),
    # contract 1.1: crisis is present when self_harm_thoughts is ticked, even if the mood
    # question was left unanswered
    pytest.param(
        patient(
            red_flags=["self_harm_thoughts"],
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            severity=5,
        ),
        EMERGENCY_WITH_CRISIS,
        id="self-harm-thoughts-mood-not-ticked",
    ),
    # addendum B1 (A) + B13 (Frontiers 2023, A) + contract 1.1: a teenager with chronic
    # migraine and thoughts of self-harm
    pytest.param(
        patient(
            red_flags=["self_harm_thoughts"],
            age_group="child",
            age_years=15,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        EMERGENCY_WITH_CRISIS,
        id="self-harm-thoughts-teenager-migraine",
    ),
    # addendum B10 (Petrosky 2018, A) + B11 (B): cancer pain among suicide decedents; contract
    # 1.1: the flag outranks cancer care and an opioid preference
    pytest.param(
        patient(
            red_flags=["self_harm_thoughts"],
            age_group="older_adult",
            age_years=77,
            duration="over_3_months",
            situation="cancer",
            locations=["widespread"],
            severity=8,
            tried=["opioid_medicine", "pain_medication"],
            preferences=["want_to_reduce_opioids"],
        ),
        EMERGENCY_WITH_CRISIS,
        id="self-harm-thoughts-older-adult-cancer-on-opioids",
    ),
    # contract 1.1: all five new flags at once, with every preference -> emergency, crisis
    pytest.param(
        patient(
            red_flags=list(NEW_RED_FLAGS),
            duration="under_6_weeks",
            situation="injury",
            locations=["head", "abdomen_or_pelvis", "groin_or_genitals", "arms_or_legs"],
            severity=9,
            preferences=list(ALL_PREFERENCES),
        ),
        EMERGENCY_WITH_CRISIS,
        id="all-new-flags-with-all-preferences",
    ),
    # ==== 1. emergencies: the wider version 1 flags ====
    # addendum A4.1 (NHS septic arthritis, A: needs checking the same day) + A4.3 (Patient.info,
    # B); contract 1.1: fever with a hot swollen joint is fever_with_severe_pain
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_years=52,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=["swollen_warm_joints"],
            severity=8,
        ),
        EMERGENCY_NO_CRISIS,
        id="septic-joint-hot-swollen-knee-with-fever",
    ),
    # addendum A4.1 (A) + A4.3 (B: older adults at highest risk): a known arthritis and earlier
    # injections never turn fever with a hot joint into a rheumatology referral
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_group="older_adult",
            age_years=71,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=INFLAMMATORY,
            severity=7,
            tried=["primary_care_visit", "pain_medication", "injections"],
        ),
        EMERGENCY_NO_CRISIS,
        id="septic-joint-in-known-arthritis-older-adult",
    ),
    # addendum A5.2 (Children's Health Queensland, A): a limping child with fever and severe
    # joint pain may have septic arthritis; A5.1 (B): see a doctor immediately
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_group="child",
            age_years=4,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["arms_or_legs", "joints"],
            severity=7,
        ),
        EMERGENCY_NO_CRISIS,
        id="child-fever-will-not-walk",
    ),
    # addendum A5.2 (A) + A5.3 (B): fever with a limp after a minor knock is still the flag
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_group="child",
            age_years=7,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            severity=5,
            tried=["pain_medication"],
        ),
        EMERGENCY,
        id="child-fever-limp-after-minor-knock",
    ),
    # domain.md §4a (NICE CG150, A: headache with fever, stiff neck or rash -> same-day
    # emergency assessment) + contract 1.1 (fever with a new spotty or purple rash)
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_group="child",
            age_years=6,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head", "widespread"],
            severity=8,
        ),
        EMERGENCY_NO_CRISIS,
        id="child-fever-spotty-rash",
    ),
    # domain.md §4a (NICE CG150, A) + contract 1.1: a young adult with fever, limb pain and a
    # purple rash
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_years=19,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["widespread", "arms_or_legs"],
            severity=6,
            mood_or_sleep_affected=False,
        ),
        EMERGENCY_NO_CRISIS,
        id="young-adult-fever-purple-rash",
    ),
    # addendum A7.3 (NICE CG124, A: suspected hip fracture -> immediate hospital assessment) +
    # A7.2 (CDC MMWR, A: falls cause >95% of hip fractures)
    pytest.param(
        patient(
            red_flags=["major_injury"],
            age_group="older_adult",
            age_years=84,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints", "arms_or_legs"],
            severity=8,
        ),
        EMERGENCY_NO_CRISIS,
        id="older-adult-fall-cannot-bear-weight",
    ),
    # addendum A7.3 + A7.4 (NICE CG124, A: surgery on the day of admission or the next) +
    # contract: "no procedures" never changes an emergency; mood affected -> crisis
    pytest.param(
        patient(
            red_flags=["major_injury"],
            age_group="older_adult",
            age_years=90,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            severity=6,
            tried=["pain_medication"],
            mood_or_sleep_affected=True,
            preferences=["no_procedures", "prefer_non_drug"],
        ),
        EMERGENCY_WITH_CRISIS,
        id="older-adult-fall-cannot-stand-prefers-no-procedures",
    ),
    # domain.md §4a (AHA/ACC 2021, A) + addendum A9.3 (AHA, B): jaw and chest discomfort on
    # exertion is the chest_pain flag, not a dental question
    pytest.param(
        patient(
            red_flags=["chest_pain"],
            age_group="older_adult",
            age_years=66,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["teeth_or_jaw", "chest"],
            severity=5,
        ),
        EMERGENCY_NO_CRISIS,
        id="chest-pain-flag-jaw-pain-on-exertion",
    ),
    # domain.md §4a (NICE NG234, A: back pain after cancer with new leg weakness -> emergency)
    pytest.param(
        patient(
            red_flags=["neuro_deficit"],
            age_group="older_adult",
            age_years=70,
            duration="under_6_weeks",
            situation="cancer_past",
            locations=["back", "arms_or_legs"],
            severity=7,
        ),
        EMERGENCY_NO_CRISIS,
        id="cancer-past-back-pain-with-leg-weakness",
    ),
    # ==== 2. pain psychologist: in the top 3, but not first while a medical lead is needed ====
    # NICE CG173 (domain.md §4c, A: severe neuropathic pain -> pain service or neurology) +
    # NICE NG193 (domain.md §4c, A: distress -> CBT/ACT) + IASP biopsychosocial definition
    pytest.param(
        patient(
            age_years=59,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {
            "urgency": "routine",
            "first_any": [PAIN_MD, NEURO, PCP],
            "not_first": [PSYCH],
            "top3": [PSYCH],
            "crisis": True,
        },
        id="diabetic-nerve-pain-mood",
    ),
    # domain.md §1a row 1 (pain medicine treats CRPS; ABPN, A) + addendum C1.5 (NG193, B:
    # CRPS handled apart) + NICE NG193 (A: CBT/ACT for distress)
    pytest.param(
        patient(
            age_years=37,
            duration="over_3_months",
            situation="injury",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=8,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            mood_or_sleep_affected=True,
        ),
        {"not_first": [PSYCH], "top3": [PAIN_MD, PSYCH], "crisis": True},
        id="crps-arm-after-fracture-mood",
    ),
    # NICE NG193 (A: distress -> CBT/ACT) + contract 1.1 see_also (gynecologist for pelvic
    # pain): endometriosis-type pain keeps a medical lead
    pytest.param(
        patient(
            age_years=29,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["abdomen_or_pelvis"],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {
            "first_any": [PCP, PAIN_MD],
            "not_first": [PSYCH],
            "top3": [PSYCH],
            "see_also": ["gynecologist"],
            "crisis": True,
        },
        id="endometriosis-type-pelvic-pain-mood",
    ),
    # addendum C9.4 (CDC 2022 Rec. 5, A: taper gradually with the prescriber) + C1.5 (NG193, B:
    # help people taper) + domain.md §1b-2 (ASA 2021 Pain Summit: long-term opioids are high
    # risk) + NICE NG193 (A: CBT/ACT)
    pytest.param(
        patient(
            age_years=51,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "opioid_medicine", "physical_therapy"],
            mood_or_sleep_affected=True,
            preferences=["want_to_reduce_opioids"],
        ),
        {
            "urgency": "routine",
            "first_any": [PCP, PAIN_MD],
            "not_first": [PSYCH],
            "top3": [PSYCH],
            "see_also": ["addiction-medicine"],
            "crisis": True,
        },
        id="opioid-taper-back-pain-mood",
    ),
    # NICE NG193 (domain.md §4c, A: chronic primary pain -> exercise, CBT/ACT; addendum C1.2,
    # B): widespread pain already assessed in primary care, non-drug help wanted -> psychology
    # first is acceptable
    pytest.param(
        patient(
            age_years=42,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            mood_or_sleep_affected=True,
            preferences=["prefer_non_drug"],
        ),
        {
            "urgency": "routine",
            "first_any": [PSYCH, PT, PCP],
            "top3": [PSYCH],
            "not_top3": [ORTHO, NSURG],
            "crisis": True,
        },
        id="widespread-pain-seen-by-gp-wants-psychological-help",
    ),
    # NICE NG193 (domain.md §4c, A: consider CBT/ACT for chronic primary pain) + IASP/ICD-11
    # (chronic = over 3 months): high-impact widespread pain, mood not affected
    pytest.param(
        patient(
            age_years=35,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            qualities=["aching_or_stiff"],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=False,
        ),
        {"urgency": "routine", "top3": [PSYCH], "crisis": False},
        id="widespread-chronic-primary-pain-no-mood",
    ),
    # NICE CG173 (A: post-herpetic neuralgia -> primary care first-line, specialist if severe) +
    # NICE NG193 (A): chest-wall nerve pain after shingles, sleep affected
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=76,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["chest"],
            qualities=["burning_or_tingling"],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {
            "urgency": "routine",
            "first_any": [PCP, PAIN_MD, NEURO],
            "not_first": [PSYCH],
            "top3": [PSYCH],
            "crisis": True,
        },
        id="post-shingles-chest-pain-older-adult-sleep",
    ),
    # IASP/ICD-11 chronic post-surgical pain (domain.md §0, A) + domain.md §4c (pain after an
    # operation -> pain medicine when poorly controlled; NG193 CBT/ACT for distress)
    pytest.param(
        patient(
            age_years=48,
            duration="over_3_months",
            situation="after_surgery",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=7,
            tried=["surgery", "pain_medication", "physical_therapy"],
            mood_or_sleep_affected=True,
        ),
        {"not_first": [PSYCH], "top3": [PAIN_MD, PSYCH], "crisis": True},
        id="chronic-pain-after-spine-surgery-mood",
    ),
    # ==== 3. preferences reorder suitable roles, never past safety ====
    # NICE NG226 (domain.md §4c, A: core treatment first) + AAOS OrthoInfo (A: advanced OA ->
    # joint replacement): core care and injections done, surgical opinion wanted
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=71,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=8,
            tried=["primary_care_visit", "pain_medication", "physical_therapy", "injections"],
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "first": ORTHO},
        id="knee-oa-everything-tried-wants-surgeon",
    ),
    # NICE NG226 (A) + AAOS OrthoInfo (A): hip OA in a younger adult after PT, medicines and
    # injections
    pytest.param(
        patient(
            age_years=62,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=7,
            tried=["pain_medication", "physical_therapy", "injections"],
            mood_or_sleep_affected=False,
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "first": ORTHO, "crisis": False},
        id="hip-oa-everything-tried-wants-surgeon",
    ),
    # addendum C2.5 (AoMRC Evidence-Based Interventions, A: discectomy for nerve-root
    # compression lasting ~3 months despite non-operative care) + C2.4 (NG59 via NHS LLR, B)
    pytest.param(
        patient(
            age_years=44,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=7,
            tried=["primary_care_visit", "pain_medication", "physical_therapy", "injections"],
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "first_any": [NSURG, ORTHO]},
        id="sciatica-everything-tried-wants-surgeon",
    ),
    # domain.md §4c (AAOS OrthoInfo, A: nerve compression -> orthopaedic or spine surgeon) +
    # §1a row 7 (neurosurgeon: persistent radicular pain): arm pain from the neck
    pytest.param(
        patient(
            age_years=50,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["neck", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=7,
            tried=["primary_care_visit", "pain_medication", "physical_therapy", "injections"],
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "first_any": [NSURG, ORTHO]},
        id="neck-arm-radicular-everything-tried-wants-surgeon",
    ),
    # domain.md §4c (NICE NG59 / APTA direct access, A: new neck or back pain -> primary care
    # and/or PT) + addendum C3.1 (ACP 2017, A: non-drug care first)
    pytest.param(
        patient(
            age_years=34,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["neck"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "routine", "first": PT},
        id="neck-subacute-prefers-non-drug",
    ),
    # addendum C3.1 (ACP 2017, A: acute low back pain -> non-drug care first) + contract
    # example 1 (primary care still in the top 3)
    pytest.param(
        patient(
            age_years=40,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["nothing_yet"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "routine", "first": PT, "top3": [PCP]},
        id="back-new-prefers-non-drug",
    ),
    # addendum C3.2 (ACP 2017, A: chronic low back pain -> exercise and other non-drug care
    # first)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=67,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "routine", "first": PT},
        id="back-chronic-older-adult-prefers-non-drug",
    ),
    # NICE NG226 (A: exercise is core) + contract 1.1 (no_procedures = no injections or
    # surgery): surgeons and injection-focused roles stay out of first place
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=73,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=7,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            preferences=["no_procedures"],
        ),
        {"urgency": "routine", "not_first": [ORTHO, NSURG, PAIN_MD]},
        id="knee-oa-after-pt-no-procedures",
    ),
    # NICE NG59 (domain.md §4c, A: persisting sciatica -> physiatrist or pain medicine,
    # injections or surgery as options) + contract 1.1 no_procedures
    pytest.param(
        patient(
            age_years=38,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            preferences=["no_procedures"],
        ),
        {"urgency": "routine", "not_first": [NSURG, ORTHO, PAIN_MD]},
        id="sciatica-chronic-no-procedures",
    ),
    # NICE NG59 (A) + contract 1.1 no_procedures: injections tried and no more wanted
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["neck"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["physical_therapy", "pain_medication", "injections"],
            preferences=["no_procedures"],
        ),
        {"urgency": "routine", "not_first": [ORTHO, NSURG, PAIN_MD, ANES]},
        id="neck-chronic-after-injections-no-procedures",
    ),
    # addendum C9.4 (CDC 2022 Rec. 5, A: gradual taper led by the prescriber) + C9.7 (CDC Rec.
    # 2, A: non-opioid therapies preferred) + domain.md §1b-2 (ASA 2021 Pain Summit: long-term
    # opioids -> access to a pain specialist)
    pytest.param(
        patient(
            age_years=55,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "opioid_medicine", "physical_therapy"],
            preferences=["want_to_reduce_opioids"],
        ),
        {
            "urgency": "routine",
            "first_any": [PCP, PAIN_MD],
            "see_also": ["addiction-medicine"],
            "crisis": False,
        },
        id="back-chronic-on-opioids-wants-to-reduce",
    ),
    # addendum C9.4 (CDC 2022, A) + C1.5 (NG193, B: review and help taper)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=79,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["opioid_medicine", "pain_medication"],
            preferences=["want_to_reduce_opioids"],
        ),
        {"urgency": "routine", "first_any": [PCP, PAIN_MD], "see_also": ["addiction-medicine"]},
        id="knee-oa-older-adult-on-opioids-wants-to-reduce",
    ),
    # addendum C9.4 (CDC 2022, A): a taper needs the prescriber even when non-drug care is also
    # wanted
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            severity=6,
            tried=["primary_care_visit", "opioid_medicine"],
            preferences=["want_to_reduce_opioids", "prefer_non_drug"],
        ),
        {"first_any": [PCP, PAIN_MD], "see_also": ["addiction-medicine"]},
        id="widespread-on-opioids-wants-to-reduce-prefers-non-drug",
    ),
    # domain.md §1b-2 (ASA 2021 Pain Summit: long-term opioids -> pain specialist) + addendum
    # C9.4 (CDC 2022, A): chronic pain after a joint operation, opioids for months
    pytest.param(
        patient(
            age_years=60,
            duration="over_3_months",
            situation="after_surgery",
            locations=["joints"],
            severity=6,
            tried=["surgery", "opioid_medicine", "physical_therapy"],
            preferences=["want_to_reduce_opioids"],
        ),
        {"first_any": [PAIN_MD, PCP], "see_also": ["addiction-medicine"]},
        id="chronic-post-surgical-pain-on-opioids-wants-to-reduce",
    ),
    # addendum C9.4 (CDC 2022, A) + contract 1.1 (want_to_reduce_opioids): the wish alone is
    # enough, even if opioid_medicine was not ticked
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["neck"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
            preferences=["want_to_reduce_opioids"],
        ),
        {"first_any": [PCP, PAIN_MD], "see_also": ["addiction-medicine"]},
        id="neck-chronic-wants-to-reduce-opioids-not-ticked",
    ),
    # addendum C9.4 (CDC 2022, A: review opioid benefit and harm at least every 3 months) +
    # C1.5 (NG193, B): long-term opioids without a stated wish -> a prescribing physician first
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back"],
            severity=7,
            tried=["primary_care_visit", "opioid_medicine", "physical_therapy"],
        ),
        {"urgency": "routine", "first_any": [PCP, PAIN_MD, PHYSIATRIST], "not_first": [PSYCH]},
        id="back-chronic-on-opioids-no-preference",
    ),
    # addendum C8.1 (ASCO 2017, A) + contract ("soon" for uncontrolled cancer pain): no
    # procedures and no drugs wanted, but the preferences do not change a "soon" first role
    pytest.param(
        patient(
            age_years=63,
            duration="6_weeks_to_3_months",
            situation="cancer",
            locations=["back", "widespread"],
            severity=8,
            tried=["opioid_medicine"],
            preferences=["no_procedures", "prefer_non_drug"],
        ),
        {
            "urgency": "soon",
            "first_any": [PALLIATIVE, PAIN_MD],
            "see_also": ["oncology-team"],
        },
        id="cancer-severe-no-procedures-prefers-non-drug",
    ),
    # domain.md §4a (NICE NG234, A: new back pain after cancer -> urgent assessment) + ASCO 2016
    # (A: new pain in a survivor -> check for recurrence first): a surgeon wish changes nothing
    pytest.param(
        patient(
            age_years=57,
            duration="under_6_weeks",
            situation="cancer_past",
            locations=["back"],
            severity=5,
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "soon", "first": PCP},
        id="cancer-past-new-back-pain-wants-surgeon",
    ),
    # ==== 4. swollen joints: after an injury vs without one ====
    # NICE NG100 (domain.md §4c, A: refer synovitis of *unknown cause*) + domain.md §4c (new
    # MSK pain -> primary care / PT; torn ligament -> orthopaedic surgeon, AAOS A): a sprained
    # ankle is not inflammatory arthritis
    pytest.param(
        patient(
            age_years=26,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints", "arms_or_legs"],
            qualities=["swollen_warm_joints"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {
            "urgency": "routine",
            "first_any": [ORTHO, PT, PCP],
            "not_first": [RHEUM],
            "crisis": False,
        },
        id="sprained-ankle-swollen",
    ),
    # NICE NG100 (A) + AAOS OrthoInfo (A): knee swollen after a twist
    pytest.param(
        patient(
            age_years=31,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            qualities=["swollen_warm_joints", "aching_or_stiff"],
            severity=6,
        ),
        {"urgency": "routine", "first_any": [ORTHO, PT, PCP], "not_first": [RHEUM]},
        id="knee-swollen-after-twist",
    ),
    # AAOS OrthoInfo (A: torn ligaments -> orthopaedic surgeon) + NICE NG100 (A): still
    # swollen after weeks of PT
    pytest.param(
        patient(
            age_years=23,
            duration="6_weeks_to_3_months",
            situation="injury",
            locations=["joints"],
            qualities=["swollen_warm_joints"],
            severity=6,
            tried=["primary_care_visit", "physical_therapy"],
        ),
        {
            "urgency": "routine",
            "first_any": [ORTHO, PT, PCP],
            "top3": [ORTHO],
            "not_first": [RHEUM],
        },
        id="knee-swollen-after-twist-not-settling-with-pt",
    ),
    # domain.md §4c (child -> pediatrician; ASA pediatric statement, B) + NICE NG100 (A)
    pytest.param(
        patient(
            age_group="child",
            age_years=13,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            qualities=["swollen_warm_joints"],
            severity=4,
        ),
        {"urgency": "routine", "first_any": [PCP, PT, ORTHO], "not_first": [RHEUM]},
        id="child-swollen-ankle-after-football",
    ),
    # NICE NG100 (A) + domain.md §4c (new MSK pain -> primary care / PT, A)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=67,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            qualities=["swollen_warm_joints", "aching_or_stiff"],
            severity=5,
        ),
        {"urgency": "routine", "first_any": [PCP, ORTHO, PT], "not_first": [RHEUM]},
        id="older-adult-knee-swollen-after-twist",
    ),
    # addendum C4.1 (EULAR 2016, A copy: any joint swelling -> seen by a rheumatologist within
    # 6 weeks) + C4.3 (A) + NICE NG100 (A)
    pytest.param(
        patient(
            age_years=36,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=["swollen_warm_joints"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"first": RHEUM},
        id="swollen-knee-no-injury",
    ),
    # NICE NG100 (A: small joints, more than one joint -> urgent rheumatology) + EULAR (A
    # copy); contract: no_procedures only reorders suitable roles, and a rheumatologist is one
    pytest.param(
        patient(
            age_years=48,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints", "arms_or_legs"],
            qualities=INFLAMMATORY,
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
            preferences=["no_procedures"],
        ),
        {"first": RHEUM},
        id="swollen-hands-morning-stiffness-no-procedures",
    ),
    # NICE NG100 (A: 3 months or more before seeking help -> refer) + EULAR (A copy)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=66,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["swollen_warm_joints"],
            severity=6,
            tried=["primary_care_visit"],
        ),
        {"first": RHEUM},
        id="swollen-joints-older-adult-long-standing",
    ),
    # ==== 5. early after an operation ====
    # domain.md §4c (pain around an operation -> surgeon + anesthesiologist; ASA 2021, RCoA
    # GPAS, A) + §1a row 8 (PT: post-surgical rehab) + addendum C10.5 (Allina, B: call the
    # surgeon): 5 days after a knee replacement, not a failed operation
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=68,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["surgery", "pain_medication"],
        ),
        {
            "top3": [PT],
            "not_first": [PAIN_MD, PSYCH],
            "see_also": ["surgical-team"],
        },
        id="knee-replacement-day-5",
    ),
    # domain.md §4c (ASA 2021, A) + §1a row 8 (PT post-surgical rehab) + addendum C10.5 (B)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=75,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["joints", "arms_or_legs"],
            severity=3,
            tried=["surgery", "physical_therapy"],
        ),
        {
            "urgency": "routine",
            "top3": [PT],
            "not_first": [PAIN_MD],
            "see_also": ["surgical-team"],
        },
        id="hip-replacement-week-2-mild",
    ),
    # domain.md §4c (ASA 2021, A) + addendum C2.5 (AoMRC, A: most leg pain keeps improving) +
    # C10.5 (B): ten days after a discectomy, mild leg pain
    pytest.param(
        patient(
            age_years=45,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=3,
            tried=["surgery"],
        ),
        {
            "urgency": "routine",
            "top3": [PT],
            "not_first": [PAIN_MD],
            "see_also": ["surgical-team"],
        },
        id="discectomy-day-10-mild",
    ),
    # domain.md §4c (ASA 2021, A: anesthesiologist / acute pain service) + addendum C10.4
    # (CDC SSI, A: contact the surgical team) + C10.5 (B)
    pytest.param(
        patient(
            age_years=50,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["abdomen_or_pelvis"],
            severity=6,
            tried=["surgery", "pain_medication"],
        ),
        {
            "top3": [ANES],
            "not_first": [PAIN_MD, PSYCH],
            "see_also": ["surgical-team"],
        },
        id="abdominal-surgery-week-1",
    ),
    # domain.md §4c (ASA 2021 + ASA pediatric statement) + addendum C10.5 (B)
    pytest.param(
        patient(
            age_group="child",
            age_years=11,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["abdomen_or_pelvis"],
            severity=4,
            tried=["surgery"],
        ),
        {"urgency": "routine", "top3": [ANES], "see_also": ["surgical-team"]},
        id="child-after-appendix-operation",
    ),
    # contract ("soon" for uncontrolled pain after an operation) + domain.md §4c (ASA 2021, A):
    # no_procedures does not change urgency or the perioperative lead
    pytest.param(
        patient(
            age_years=39,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["joints"],
            severity=9,
            tried=["surgery", "pain_medication"],
            preferences=["no_procedures"],
        ),
        {"urgency": "soon", "top3": [ANES], "see_also": ["surgical-team"]},
        id="after-surgery-severe-no-procedures",
    ),
    # domain.md §1a row 8 (PT post-surgical rehab) + §4c (ASA 2021, A) + addendum C10.5 (B): a
    # non-drug wish after a knee ligament repair; "nothing yet" for the pain itself
    pytest.param(
        patient(
            age_years=28,
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["joints"],
            severity=4,
            tried=["nothing_yet"],
            preferences=["prefer_non_drug"],
        ),
        {"first_any": [PT, ANES], "top3": [PT], "see_also": ["surgical-team"]},
        id="after-ligament-repair-prefers-non-drug",
    ),
    # ==== 6. cancer now, and after cancer ====
    # addendum C8.1 (ASCO 2017, A) + C8.2 (ASCO 2024, A): early palliative care alongside
    # treatment; contract: uncontrolled pain with cancer -> soon
    pytest.param(
        patient(
            age_years=58,
            duration="6_weeks_to_3_months",
            situation="cancer",
            locations=["back", "arms_or_legs"],
            severity=8,
            tried=["pain_medication"],
        ),
        {
            "urgency": "soon",
            "first_any": [PALLIATIVE, PAIN_MD],
            "see_also": ["oncology-team"],
        },
        id="cancer-now-bone-pain-severe",
    ),
    # addendum C8.1 (A) + contract: severity 7 "gets in the way a lot"; addendum C9.1 (CDC 2022,
    # A: cancer pain lies outside the opioid guideline)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=80,
            duration="under_6_weeks",
            situation="cancer",
            locations=["abdomen_or_pelvis"],
            severity=7,
            tried=["opioid_medicine"],
        ),
        {
            "urgency": "soon",
            "first_any": [PALLIATIVE, PAIN_MD],
            "see_also": ["oncology-team"],
            "crisis": False,
        },
        id="cancer-now-severity-7-older-adult-on-opioids",
    ),
    # domain.md §1a row 14 (pediatric pain specialists treat cancer pain, B) + addendum C8.1
    # (ASCO, A) + contract (soon)
    pytest.param(
        patient(
            age_group="child",
            age_years=12,
            duration="under_6_weeks",
            situation="cancer",
            locations=["arms_or_legs"],
            severity=8,
        ),
        {
            "urgency": "soon",
            "first_any": [PALLIATIVE, PAIN_MD],
            "see_also": ["oncology-team"],
        },
        id="cancer-now-child-severe",
    ),
    # addendum C8.2 (ASCO 2024, A: specialist palliative care for psychosocial distress too) +
    # contract 1.1 (mood -> crisis): psychology helps but is not the medical lead
    pytest.param(
        patient(
            age_years=47,
            duration="over_3_months",
            situation="cancer",
            locations=["chest", "back"],
            severity=9,
            tried=["pain_medication", "opioid_medicine"],
            mood_or_sleep_affected=True,
        ),
        {
            "urgency": "soon",
            "first_any": [PALLIATIVE, PAIN_MD],
            "not_first": [PSYCH],
            "see_also": ["oncology-team"],
            "crisis": True,
        },
        id="cancer-now-chest-wall-severe-mood",
    ),
    # domain.md §4c (cancer-related pain -> oncology team first stop, palliative care early;
    # ASCO 2017, A): moderate pain, urgency not decided by the guidance
    pytest.param(
        patient(
            age_years=64,
            duration="over_3_months",
            situation="cancer",
            locations=["abdomen_or_pelvis"],
            severity=4,
            tried=["pain_medication"],
        ),
        {"top3": [PALLIATIVE], "see_also": ["oncology-team"]},
        id="cancer-now-moderate-pain",
    ),
    # domain.md §4a (NICE NG234, A: new back pain after cancer without neuro signs -> urgent
    # assessment within days) + ASCO 2016 survivor guideline (A: check new pain for recurrence)
    pytest.param(
        patient(
            age_years=61,
            duration="under_6_weeks",
            situation="cancer_past",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "soon", "first": PCP},
        id="cancer-past-new-back-pain",
    ),
    # ASCO 2016 survivor guideline (domain.md §3 cancer center row, A: new pain in a survivor ->
    # check for recurrence) + domain.md §4a (NG234, A)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=72,
            duration="under_6_weeks",
            situation="cancer_past",
            locations=["arms_or_legs", "joints"],
            severity=6,
        ),
        {"urgency": "soon", "first": PCP},
        id="cancer-past-new-bone-pain-older-adult",
    ),
    # domain.md §4a (NG234 / AHCPR, A: back pain after cancer, or not improving after about a
    # month -> urgent assessment)
    pytest.param(
        patient(
            age_years=49,
            duration="6_weeks_to_3_months",
            situation="cancer_past",
            locations=["back"],
            severity=4,
            tried=["pain_medication"],
        ),
        {"urgency": "soon", "first": PCP},
        id="cancer-past-back-pain-not-settling",
    ),
    # NICE CG173 (domain.md §4c, A: neuropathic pain -> primary care first-line, specialist if
    # severe): long-standing nerve pain after cancer treatment
    pytest.param(
        patient(
            age_years=52,
            duration="over_3_months",
            situation="cancer_past",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"first_any": [PCP, PAIN_MD, NEURO]},
        id="cancer-past-long-standing-nerve-pain",
    ),
    # ==== 7. spondyloarthritis and polymyalgia ====
    # addendum C5.1 (ASAS, A: back pain 3 months or more, onset before 45) + C5.3 (NICE NG65,
    # A: refer to rheumatology) + C5.4 (A: often misread as mechanical back pain)
    pytest.param(
        patient(
            age_years=27,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["morning_stiffness", "aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"top3": [RHEUM], "not_top3": [NSURG, ORTHO]},
        id="axial-spa-young-adult",
    ),
    # addendum C5.1 + C5.3 (A): onset before 45, PT already tried; mood -> crisis (contract)
    pytest.param(
        patient(
            age_years=42,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["morning_stiffness"],
            severity=6,
            tried=["physical_therapy", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"top3": [RHEUM], "crisis": True},
        id="axial-spa-age-42-after-pt-mood",
    ),
    # addendum C5.3 (NICE NG65 covers over-16s, A) + domain.md §4c (child -> pediatric
    # rheumatology as indicated, B)
    pytest.param(
        patient(
            age_group="child",
            age_years=17,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["morning_stiffness", "aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit"],
        ),
        {"top3": [RHEUM]},
        id="axial-spa-teenager-17",
    ),
    # addendum C6.1 (EULAR/ACR 2012, A) + C6.2 (BSR, A) + C6.4 (NICE CKS, A: primary care,
    # rheumatology when in doubt): shoulder and hip girdle pain with morning stiffness
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=72,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints", "arms_or_legs"],
            qualities=["morning_stiffness", "aching_or_stiff"],
            severity=6,
            tried=["nothing_yet"],
        ),
        {"top3": [RHEUM, PCP]},
        id="polymyalgia-shoulders-and-hips",
    ),
    # addendum C6.1 + C6.2 (A): PMR after a GP visit, aching all over
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=79,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints", "widespread"],
            qualities=["morning_stiffness"],
            severity=7,
            tried=["primary_care_visit"],
        ),
        {"top3": [RHEUM]},
        id="polymyalgia-widespread-after-gp",
    ),
    # addendum C7.2 (BSR via Practical Neurology, A: suspected GCA -> specialist the same
    # working day) + C7.4 (NHS BNSSG, A: jaw claudication, new headache, PMR symptoms)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=74,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints", "teeth_or_jaw", "head"],
            qualities=["morning_stiffness"],
            severity=6,
        ),
        {"urgency": "soon", "top3": [RHEUM]},
        id="polymyalgia-with-jaw-pain-and-headache",
    ),
    # ==== 8. headache over 50; teeth and jaw ====
    # domain.md §4a (SNNOOP10, A; NICE CG150, A) + addendum C7.4 (A: age over 50 and a new
    # headache suggest GCA): new headache at 55 -> see a clinician within days
    pytest.param(
        patient(
            age_years=55,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "soon", "top3": [PCP]},
        id="new-headache-age-55",
    ),
    # domain.md §4a (SNNOOP10, A) + addendum C7.4 (A)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=70,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["head"],
            severity=4,
            tried=["pain_medication"],
        ),
        {"urgency": "soon"},
        id="new-headache-age-70-subacute",
    ),
    # addendum C6.1 (EULAR/ACR: "50 or over", A) + C7.4 (A): the boundary age, migraine-like
    # features do not make a new headache at 50 routine
    pytest.param(
        patient(
            age_years=50,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=6,
        ),
        {"urgency": "soon"},
        id="new-headache-age-50-migraine-like",
    ),
    # domain.md §4a (SNNOOP10, A) + addendum C7.4 (A): everyone in older_adult is over 50, so
    # the exact age is not needed
    pytest.param(
        patient(
            age_group="older_adult",
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            qualities=["aching_or_stiff"],
            severity=4,
        ),
        {"urgency": "soon", "top3": [PCP]},
        id="new-headache-older-adult-no-exact-age",
    ),
    # domain.md §4a + contract: a non-drug wish never changes a "soon" case; a new headache at
    # 60 needs a medical assessment, not PT or psychology first
    pytest.param(
        patient(
            age_years=60,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head", "neck"],
            severity=5,
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "soon", "not_first": [PT, PSYCH]},
        id="new-headache-age-60-prefers-non-drug",
    ),
    # NICE CG150 (domain.md §4c, A: typical migraine -> primary care): under 50, routine
    pytest.param(
        patient(
            age_years=44,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP},
        id="migraine-new-age-44",
    ),
    # contract 1.1 (teeth_or_jaw = toothache or jaw pain; see_also dentist): tooth pain is not
    # a headache, so neither neurology nor the ED comes first
    pytest.param(
        patient(
            age_years=33,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["teeth_or_jaw"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["pain_medication"],
        ),
        {"see_also": ["dentist"], "not_first": [NEURO, ED], "crisis": False},
        id="toothache-adult",
    ),
    # contract 1.1 (see_also dentist): a throbbing toothache is not migraine
    pytest.param(
        patient(
            age_years=28,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["teeth_or_jaw"],
            qualities=[MIGRAINE],
            severity=7,
        ),
        {"see_also": ["dentist"], "not_first": [NEURO]},
        id="throbbing-toothache-not-migraine",
    ),
    # contract 1.1 (see_also dentist) + domain.md §4c (long-standing non-urgent pain in a
    # younger adult -> routine care)
    pytest.param(
        patient(
            age_years=41,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["teeth_or_jaw"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"urgency": "routine", "see_also": ["dentist"]},
        id="jaw-joint-pain-chronic",
    ),
    # addendum C7.4 (NHS BNSSG, A: jaw claudication is the most specific GCA symptom) + C7.2
    # (A: same working day) + domain.md §4a (CG150: new after 50 with jaw pain -> urgent)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=76,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["teeth_or_jaw"],
            qualities=["aching_or_stiff"],
            severity=4,
        ),
        {"urgency": "soon", "see_also": ["dentist"]},
        id="jaw-pain-older-adult",
    ),
    # domain.md §4c (child -> pediatrician first, ASA pediatric statement, B) + contract 1.1
    # (see_also dentist)
    pytest.param(
        patient(
            age_group="child",
            age_years=9,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["teeth_or_jaw"],
            severity=5,
        ),
        {"first": PCP, "see_also": ["dentist"]},
        id="toothache-child",
    ),
    # ==== 9. belly, pelvis, groin and chest without emergency signs ====
    # domain.md §4c + §4d-2 (new non-urgent pain -> primary care first; NICE/ACP, A) + contract
    # 1.1 (see_also gastroenterologist)
    pytest.param(
        patient(
            age_years=36,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["nothing_yet"],
        ),
        {"first": PCP, "see_also": ["gastroenterologist"], "crisis": False},
        id="belly-pain-weeks-adult",
    ),
    # domain.md §4c (primary care first) + contract 1.1 (see_also gynecologist)
    pytest.param(
        patient(
            age_years=25,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=4,
        ),
        {"first": PCP, "see_also": ["gynecologist"]},
        id="pelvic-pain-new",
    ),
    # domain.md §4c (primary care first) + contract 1.1 (see_also urologist)
    pytest.param(
        patient(
            age_years=44,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["groin_or_genitals"],
            qualities=["aching_or_stiff"],
            severity=3,
            tried=["nothing_yet"],
        ),
        {"first": PCP, "see_also": ["urologist"]},
        id="groin-ache-weeks",
    ),
    # domain.md §4c (primary care coordinates) + contract 1.1 (see_also urologist)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=70,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["groin_or_genitals", "abdomen_or_pelvis"],
            severity=4,
            tried=["primary_care_visit"],
        ),
        {"first": PCP, "see_also": ["urologist"]},
        id="older-man-groin-and-pelvic-ache",
    ),
    # domain.md §4c (child -> pediatrician, B)
    pytest.param(
        patient(
            age_group="child",
            age_years=8,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=4,
        ),
        {"first": PCP},
        id="child-recurrent-belly-pain",
    ),
    # NICE NG193 (A: chronic primary pain with distress -> CBT/ACT) + contract 1.1 (see_also
    # gastroenterologist; mood -> crisis): bowel-type pain keeps primary care in the lead
    pytest.param(
        patient(
            age_years=31,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["abdomen_or_pelvis"],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {
            "first": PCP,
            "top3": [PSYCH],
            "see_also": ["gastroenterologist"],
            "crisis": True,
        },
        id="bowel-type-belly-pain-chronic-mood",
    ),
    # domain.md §4c (new MSK pain after a minor injury -> primary care and/or PT; APTA, A)
    pytest.param(
        patient(
            age_years=22,
            duration="under_6_weeks",
            situation="injury",
            locations=["groin_or_genitals", "arms_or_legs"],
            qualities=["aching_or_stiff"],
            severity=4,
        ),
        {"urgency": "routine", "first_any": [PCP, PT]},
        id="groin-strain-sport",
    ),
    # contract 1.1 (chest = long-lasting chest-wall pain; no red flag -> not an emergency) +
    # domain.md §4c (non-urgent MSK pain -> primary care and/or PT)
    pytest.param(
        patient(
            age_years=53,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["chest"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["primary_care_visit"],
        ),
        {"urgency": "routine", "first_any": [PCP, PT], "crisis": False},
        id="chest-wall-ache-long-lasting",
    ),
    # domain.md §4c (primary care first for new non-urgent pain) + contract (no red flag ->
    # not emergency): a bruised chest wall after a minor knock
    pytest.param(
        patient(
            age_years=30,
            duration="under_6_weeks",
            situation="injury",
            locations=["chest"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"first": PCP},
        id="chest-wall-bruise-after-minor-knock",
    ),
    # ==== 10. children and older adults ====
    # domain.md §4c (child -> pediatrician, ASA pediatric statement, B)
    pytest.param(
        patient(
            age_group="child",
            age_years=12,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=3,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP},
        id="child-knee-ache-new",
    ),
    # domain.md §4c (child with persistent pain -> pediatrician, then a pediatric pain
    # programme with psychology; B) + NICE NG193 (A) + contract 1.1 (mood -> crisis)
    pytest.param(
        patient(
            age_group="child",
            age_years=15,
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"first_any": [PCP, PAIN_MD], "top3": [PSYCH], "crisis": True},
        id="child-widespread-chronic-mood",
    ),
    # NICE CG150 (A: frequent or refractory headache -> neurology) + domain.md §4c (pediatric
    # neurology as indicated, B)
    pytest.param(
        patient(
            age_group="child",
            age_years=13,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"urgency": "routine", "top3": [NEURO]},
        id="child-chronic-migraine-after-pediatrician",
    ),
    # domain.md §1a row 14 (pediatric pain specialists treat CRPS, B) + §4c (pediatric pain
    # programme, B)
    pytest.param(
        patient(
            age_group="child",
            age_years=12,
            duration="over_3_months",
            situation="injury",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=7,
            tried=["primary_care_visit", "physical_therapy"],
        ),
        {"top3": [PAIN_MD]},
        id="child-crps-foot-after-sprain",
    ),
    # domain.md §4c (child -> pediatrician, B)
    pytest.param(
        patient(
            age_group="child",
            age_years=16,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["neck"],
            qualities=["aching_or_stiff"],
            severity=3,
        ),
        {"urgency": "routine", "first": PCP},
        id="child-stiff-neck-after-sleeping-awkwardly",
    ),
    # domain.md §4a (AHCPR, A: new back pain over 50 needs a medical assessment) + NICE NG59
    # (A: no surgery for new non-specific back pain)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=70,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"first": PCP, "not_top3": [NSURG, ORTHO]},
        id="older-adult-new-back-pain",
    ),
    # addendum A7.3 (NICE CG124, A: hospital only when a hip fracture is suspected) + A7.2
    # (CDC, A: falls in older adults): a fall without fracture signs -> primary care
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=79,
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=3,
            tried=["nothing_yet"],
        ),
        {"first": PCP},
        id="older-adult-fall-bruised-hip-walking",
    ),
    # NICE NG226 (A: exercise is core treatment; surgeon only after core care fails)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=72,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {
            "urgency": "routine",
            "first_any": [PT, PCP],
            "top3": [PT],
            "not_first": [ORTHO],
        },
        id="older-adult-knee-oa-before-pt",
    ),
    # NICE NG226 (A: exercise is core) + contract (a non-drug wish lifts PT)
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=81,
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["primary_care_visit"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "routine", "first": PT},
        id="older-adult-hip-oa-prefers-non-drug",
    ),
    # ==== 12. plain cases: no false emergency ====
    # domain.md §4c + §4d-2 (NICE NG59 / APTA, A: new non-urgent MSK pain -> primary care
    # and/or PT); contract: routine is everything else
    pytest.param(
        patient(
            age_years=45,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints", "arms_or_legs"],
            qualities=["aching_or_stiff"],
            severity=3,
            tried=["nothing_yet"],
            mood_or_sleep_affected=False,
        ),
        {"urgency": "routine", "first_any": [PCP, PT], "crisis": False},
        id="plain-shoulder-ache",
    ),
    # domain.md §4c (A): high severity alone is not a red flag; NICE NG226 (A): no surgeon first
    pytest.param(
        patient(
            age_years=39,
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=9,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first_any": [PCP, PT], "not_top3": [ORTHO, NSURG]},
        id="plain-new-knee-pain-severity-9",
    ),
    # domain.md §4c (APTA direct access, A): arm ache after gardening in an older adult
    pytest.param(
        patient(
            age_group="older_adult",
            age_years=66,
            duration="under_6_weeks",
            situation="injury",
            locations=["arms_or_legs"],
            qualities=["aching_or_stiff"],
            severity=4,
        ),
        {"urgency": "routine", "first_any": [PCP, PT], "crisis": False},
        id="plain-arm-ache-after-gardening-older-adult",
    ),
    # domain.md §4c (A): a mild chest-wall ache with no red flag is routine primary care
    pytest.param(
        patient(
            age_years=24,
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["chest"],
            qualities=["aching_or_stiff"],
            severity=2,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first_any": [PCP, PT]},
        id="plain-mild-chest-wall-ache",
    ),
]
