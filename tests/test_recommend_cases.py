"""Clinical cases for the "which specialist?" recommendation engine (contract v1).

Each case is one patient's answers (only field names and values from
/work/shared/spec/questionnaire-v1.md) and what a cautious clinician would expect the
engine to say, using the keys:

- "urgency": the exact urgency ("emergency", "soon" or "routine");
- "first": the role slug that must be rank 1;
- "top3" / "top5": role slugs that must all be within the first three / five;
- "not_top3": role slugs that must not be within the first three.

The comment above each case names the guidance it rests on (from section 4 of
/work/shared/reference/domain.md; facts graded [C] there are never used). The contract's
four examples come first. Property tests then check the shape of every result, the
disclaimer, determinism, and how preferences may and may not move the ranking.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from .conftest import SPEC_ROLE_SLUGS
from .patient_cases_v11 import NEW_CASES, patient

# --- contract vocabulary -----------------------------------------------------------------

ROLES = SPEC_ROLE_SLUGS
RED_FLAGS = [
    "chest_pain",
    "sudden_severe_headache",
    "neuro_deficit",
    "bladder_bowel",
    "fever_with_severe_pain",
    "major_injury",
    # contract 1.1
    "sudden_belly_groin_or_testicle_pain",
    "swollen_painful_leg",
    "pregnant_with_pain_or_bleeding",
    "head_injury_on_blood_thinners",
    "self_harm_thoughts",
]
ONE_CHOICE = {
    "age_group": {"child", "adult", "older_adult"},
    "duration": {"under_6_weeks", "6_weeks_to_3_months", "over_3_months"},
    "situation": {
        "upcoming_surgery",
        "after_surgery",
        "injury",
        "cancer",
        "cancer_past",
        "long_term_condition",
        "no_clear_cause",
    },
}
MULTI_CHOICE = {
    "red_flags": {*RED_FLAGS, "none"},
    "locations": {
        "head",
        "neck",
        "back",
        "arms_or_legs",
        "joints",
        "abdomen_or_pelvis",
        "widespread",
        "chest",
        "teeth_or_jaw",
        "groin_or_genitals",
    },
    "qualities": {
        "burning_or_tingling",
        "shooting_down_limb",
        "aching_or_stiff",
        "swollen_warm_joints",
        "morning_stiffness",
        "throbbing_with_nausea_or_light_sensitivity",
    },
    "tried": {
        "nothing_yet",
        "primary_care_visit",
        "pain_medication",
        "physical_therapy",
        "injections",
        "surgery",
        "psychological_support",
        "opioid_medicine",
    },
    "preferences": {
        "prefer_non_drug",
        "open_to_injections",
        "want_surgical_opinion",
        "no_procedures",
        "want_to_reduce_opioids",
    },
}
REQUIRED = {"red_flags", "age_group", "duration", "situation", "locations", "severity"}
OPTIONAL = {"qualities", "tried", "mood_or_sleep_affected", "preferences", "age_years"}
EXPECTATION_KEYS = {
    "urgency",
    "first",
    "first_any",
    "top3",
    "top5",
    "not_top3",
    "not_first",
    "see_also",
    "crisis",
}
AGE_YEARS = {"child": (0, 17), "adult": (18, 64), "older_adult": (65, 120)}
URGENCIES = {"emergency", "soon", "routine"}
PREFERENCES = sorted(MULTI_CHOICE["preferences"])

# Shorthand used in the table below.
PCP = "primary-care-physician"
PT = "physical-therapist"
PSYCH = "pain-psychologist"
PAIN_MD = "pain-medicine-physician"
PALLIATIVE = "palliative-care-physician"
ED = "emergency-physician"
ORTHO = "orthopedic-surgeon"
NSURG = "neurosurgeon"
MIGRAINE = "throbbing_with_nausea_or_light_sensitivity"
INFLAMMATORY = ["swollen_warm_joints", "morning_stiffness"]
EMERGENCY = {"urgency": "emergency", "first": ED}


# --- the cases -----------------------------------------------------------------------------

CASES = [
    # ---- the contract's four examples ----
    # contract example 1 / NICE NG59: new low back pain without red flags -> primary care / PT
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP, "top3": [PT]},
        id="contract-1-new-back-pain",
    ),
    # contract example 2 / ASA 2021 Pain Summit: pain around surgery -> anesthesiologist
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="upcoming_surgery",
            locations=["joints"],
            severity=5,
        ),
        {"urgency": "routine", "first": "anesthesiologist"},
        id="contract-2-upcoming-surgery",
    ),
    # contract example 3: any red flag -> emergency, emergency-physician first
    pytest.param(
        patient(
            red_flags=["bladder_bowel"],
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            severity=5,
        ),
        EMERGENCY,
        id="contract-3-bladder-bowel",
    ),
    # contract example 4 / NICE NG100: suspected inflammatory arthritis -> rheumatology
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=INFLAMMATORY,
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"first": "rheumatologist"},
        id="contract-4-inflammatory-joints",
    ),
    # ---- red flags, each on its own ----
    # contract + AHA/ACC 2021 chest pain: call 911, emergency-physician first
    pytest.param(
        patient(
            red_flags=["chest_pain"],
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["arms_or_legs"],
            severity=6,
        ),
        EMERGENCY,
        id="flag-chest-pain",
    ),
    # contract + NICE CG150 / SNNOOP10: thunderclap headache -> emergency department now
    pytest.param(
        patient(
            red_flags=["sudden_severe_headache"],
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            severity=9,
        ),
        EMERGENCY,
        id="flag-thunderclap-headache",
    ),
    # contract + stroke F.A.S.T. / NICE CG150: new weakness or numbness -> emergency
    pytest.param(
        patient(
            red_flags=["neuro_deficit"],
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["arms_or_legs"],
            severity=3,
        ),
        EMERGENCY,
        id="flag-neuro-deficit",
    ),
    # contract + AHCPR 1994: back pain with fever (spinal infection) -> same-day / ED
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            severity=8,
        ),
        EMERGENCY,
        id="flag-fever-back-pain",
    ),
    # contract + NHS "when to call 999": major trauma -> 911/999
    pytest.param(
        patient(
            red_flags=["major_injury"],
            duration="under_6_weeks",
            situation="injury",
            locations=["arms_or_legs"],
            severity=8,
        ),
        EMERGENCY,
        id="flag-major-injury",
    ),
    # ---- red flags mixed with answers that would otherwise route elsewhere ----
    # contract: every red flag at once, with inflammatory joints, surgery and preferences
    pytest.param(
        patient(
            red_flags=list(RED_FLAGS),
            age_group="older_adult",
            duration="over_3_months",
            situation="upcoming_surgery",
            locations=["head", "back", "joints"],
            qualities=INFLAMMATORY,
            severity=10,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
            preferences=PREFERENCES,
        ),
        EMERGENCY,
        id="flag-all-six-mixed",
    ),
    # contract + AHA/ACC 2021: chest pain after an operation is still an emergency
    pytest.param(
        patient(
            red_flags=["chest_pain"],
            age_group="older_adult",
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["back", "arms_or_legs"],
            severity=7,
            tried=["surgery", "pain_medication"],
        ),
        EMERGENCY,
        id="flag-chest-pain-after-surgery",
    ),
    # contract + NICE CG150: thunderclap headache in a known migraine patient -> emergency
    pytest.param(
        patient(
            red_flags=["sudden_severe_headache"],
            duration="over_3_months",
            situation="long_term_condition",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=10,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
            preferences=["prefer_non_drug"],
        ),
        EMERGENCY,
        id="flag-thunderclap-in-migraine-patient",
    ),
    # contract + NICE NG234: cancer, back pain and new neuro deficit (cord compression)
    pytest.param(
        patient(
            red_flags=["neuro_deficit"],
            age_group="older_adult",
            duration="under_6_weeks",
            situation="cancer",
            locations=["back", "arms_or_legs"],
            severity=8,
            tried=["pain_medication"],
        ),
        EMERGENCY,
        id="flag-neuro-deficit-with-cancer",
    ),
    # contract: a red flag overrides upcoming surgery (otherwise anesthesiologist first)
    pytest.param(
        patient(
            red_flags=["neuro_deficit"],
            duration="under_6_weeks",
            situation="upcoming_surgery",
            locations=["back"],
            severity=5,
        ),
        EMERGENCY,
        id="flag-neuro-deficit-before-surgery",
    ),
    # contract + NHS cauda equina leaflets: sciatica with bladder change, all preferences
    pytest.param(
        patient(
            red_flags=["bladder_bowel"],
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=6,
            tried=["physical_therapy", "pain_medication"],
            preferences=PREFERENCES,
        ),
        EMERGENCY,
        id="flag-cauda-equina-with-preferences",
    ),
    # contract + NICE CG150: child with headache, stiff neck and fever (meningitis) -> ED
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            age_group="child",
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head", "neck"],
            severity=8,
        ),
        EMERGENCY,
        id="flag-fever-stiff-neck-child",
    ),
    # contract: low severity and a long history never soften a red flag
    pytest.param(
        patient(
            red_flags=["fever_with_severe_pain"],
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back"],
            severity=2,
            tried=["primary_care_visit", "pain_medication", "physical_therapy", "injections"],
        ),
        EMERGENCY,
        id="flag-fever-low-severity-chronic",
    ),
    # contract + AHCPR 1994: older adult's fall with a possible fracture on top of arthritis
    pytest.param(
        patient(
            red_flags=["major_injury"],
            age_group="older_adult",
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=9,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            preferences=["want_surgical_opinion"],
        ),
        EMERGENCY,
        id="flag-major-injury-older-adult-arthritis",
    ),
    # contract: a red flag outranks inflammatory joints (otherwise rheumatologist first)
    pytest.param(
        patient(
            red_flags=["chest_pain", "neuro_deficit"],
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints", "arms_or_legs"],
            qualities=INFLAMMATORY,
            severity=6,
        ),
        EMERGENCY,
        id="flag-two-flags-with-inflammatory-joints",
    ),
    # ---- duration: acute, subacute, chronic musculoskeletal pain ----
    # NICE NG59 + ACP 2017: subacute low back pain, conservative care / PT; no spine surgery
    pytest.param(
        patient(
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"urgency": "routine", "top3": [PT], "not_top3": [NSURG, ORTHO, ED]},
        id="back-subacute-after-gp",
    ),
    # IASP/ICD-11: chronic = over 3 months; NHS Devon: 12 weeks conservative care incl. PT
    # before any specialist spine service -> primary care / PT even when chronic if untried
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [NSURG, ORTHO]},
        id="back-chronic-nothing-tried",
    ),
    # NICE NG59: back pain persisting after PT and medication -> physiatrist / pain medicine;
    # no spinal fusion for non-specific low back pain
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
        ),
        {"urgency": "routine", "top5": ["physiatrist", PAIN_MD], "not_top3": [NSURG]},
        id="back-chronic-after-pt-and-medication",
    ),
    # NICE NG59 / APTA: new non-urgent neck pain -> primary care and/or PT (direct access)
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["neck"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [NSURG, ED]},
        id="neck-new",
    ),
    # NICE NG59: severe but new back pain without red flags is still not a surgical problem
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            severity=10,
            tried=["nothing_yet"],
        ),
        {"top3": [PCP], "not_top3": [ORTHO, NSURG]},
        id="back-new-severity-10",
    ),
    # NICE NG226: mild long-standing joint pain -> primary care; nothing surgical or urgent
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=0,
            tried=["primary_care_visit"],
        ),
        {"urgency": "routine", "not_top3": [ED, ORTHO, NSURG]},
        id="joints-chronic-severity-0",
    ),
    # APTA: direct access to PT; NICE NG59 approach to new MSK pain after a minor injury
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="injury",
            locations=["arms_or_legs"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [NSURG, ED]},
        id="minor-injury-new",
    ),
    # AAOS OrthoInfo: torn ligament / tendon -> orthopedic surgeon when not settling with PT
    pytest.param(
        patient(
            duration="6_weeks_to_3_months",
            situation="injury",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "physical_therapy"],
        ),
        {"urgency": "routine", "top5": [ORTHO]},
        id="joint-injury-not-settling-after-pt",
    ),
    # ---- pain around surgery ----
    # ASA 2021 Pain Summit: pre-existing chronic pain before surgery -> anesthesiologist,
    # pain medicine for high-risk patients
    pytest.param(
        patient(
            age_group="older_adult",
            duration="over_3_months",
            situation="upcoming_surgery",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
        ),
        {"urgency": "routine", "first": "anesthesiologist", "top5": [PAIN_MD]},
        id="before-surgery-older-adult-chronic-pain",
    ),
    # ASA 2021 Pain Summit / ASA pediatric pain statement: child before surgery
    pytest.param(
        patient(
            age_group="child",
            duration="under_6_weeks",
            situation="upcoming_surgery",
            locations=["abdomen_or_pelvis"],
            severity=3,
        ),
        {"urgency": "routine", "top3": ["anesthesiologist"]},
        id="before-surgery-child",
    ),
    # contract ("uncontrolled pain after an operation" = soon) + ASA 2021 Pain Summit
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["joints"],
            severity=8,
            tried=["surgery", "pain_medication"],
        ),
        {"urgency": "soon", "top3": ["anesthesiologist"], "not_top3": [PSYCH]},
        id="after-surgery-severe",
    ),
    # ASA 2021 Pain Summit: mild, controlled pain after surgery -> routine, perioperative team
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["back"],
            severity=3,
            tried=["surgery", "pain_medication"],
        ),
        {"urgency": "routine", "top5": ["anesthesiologist"]},
        id="after-surgery-mild",
    ),
    # IASP/ICD-11 chronic post-surgical pain (over 3 months) -> pain medicine physician
    pytest.param(
        patient(
            duration="over_3_months",
            situation="after_surgery",
            locations=["joints"],
            severity=6,
            tried=["surgery", "pain_medication", "physical_therapy"],
        ),
        {"urgency": "routine", "top3": [PAIN_MD]},
        id="after-surgery-chronic",
    ),
    # contract (uncontrolled pain after an operation = soon) + ASA 2021 Pain Summit
    pytest.param(
        patient(
            age_group="older_adult",
            duration="6_weeks_to_3_months",
            situation="after_surgery",
            locations=["back", "arms_or_legs"],
            severity=8,
            tried=["surgery", "pain_medication"],
        ),
        {"urgency": "soon", "top5": ["anesthesiologist", PAIN_MD]},
        id="after-surgery-subacute-severe-older-adult",
    ),
    # contract + ASA 2021 Pain Summit: a non-drug preference does not demote the
    # perioperative physicians in a "soon" case
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["abdomen_or_pelvis"],
            severity=9,
            tried=["surgery"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "soon", "top3": ["anesthesiologist"]},
        id="after-surgery-severe-prefers-non-drug",
    ),
    # contract + ASA pediatric pain statement: severe pain after surgery in a child is "soon"
    pytest.param(
        patient(
            age_group="child",
            duration="under_6_weeks",
            situation="after_surgery",
            locations=["arms_or_legs"],
            severity=8,
            tried=["surgery", "pain_medication"],
        ),
        {"urgency": "soon", "top3": ["anesthesiologist"]},
        id="after-surgery-severe-child",
    ),
    # ---- cancer ----
    # ASCO 2017: cancer pain -> early palliative care, pain medicine for procedures
    pytest.param(
        patient(
            duration="over_3_months",
            situation="cancer",
            locations=["abdomen_or_pelvis"],
            severity=4,
            tried=["pain_medication"],
        ),
        {"urgency": "routine", "top3": [PALLIATIVE, PAIN_MD]},
        id="cancer-moderate-stable",
    ),
    # ASCO 2017 + contract (uncontrolled pain with cancer = soon)
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="cancer",
            locations=["abdomen_or_pelvis"],
            severity=9,
            tried=["pain_medication"],
        ),
        {"urgency": "soon", "top3": [PALLIATIVE, PAIN_MD]},
        id="cancer-severe",
    ),
    # ASCO 2017: older adult, severe widespread cancer pain affecting mood -> palliative care
    pytest.param(
        patient(
            age_group="older_adult",
            duration="6_weeks_to_3_months",
            situation="cancer",
            locations=["widespread"],
            severity=8,
            tried=["pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"urgency": "soon", "top3": [PALLIATIVE], "top5": [PAIN_MD]},
        id="cancer-severe-older-adult-mood",
    ),
    # ASCO 2017 + NICE NG234: severe new back pain with cancer; non-drug wish changes nothing
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="cancer",
            locations=["back"],
            severity=8,
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "soon", "top3": [PALLIATIVE, PAIN_MD]},
        id="cancer-severe-back-prefers-non-drug",
    ),
    # NICE NG234: new back pain with cancer, no neuro signs -> urgent assessment (days)
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="cancer",
            locations=["back"],
            severity=5,
        ),
        {"urgency": "soon"},
        id="cancer-new-back-pain-moderate",
    ),
    # ---- headache ----
    # NICE CG150: typical migraine starts in primary care; no imaging or surgery
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP, "not_top3": [NSURG, ED]},
        id="migraine-new",
    ),
    # NICE CG150 + ASA pediatric pain statement: child's migraine -> pediatrician first
    pytest.param(
        patient(
            age_group="child",
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=5,
            tried=["pain_medication"],
        ),
        {"urgency": "routine", "first": PCP},
        id="migraine-child",
    ),
    # NICE CG150: neurologist / headache specialist when frequent or treatments fail
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"urgency": "routine", "top3": ["neurologist"]},
        id="migraine-chronic-refractory",
    ),
    # NICE CG150 (refractory -> neurologist) + NICE NG193 (chronic migraine is chronic
    # primary pain; distress -> CBT/ACT with a pain psychologist)
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["head"],
            qualities=[MIGRAINE],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"urgency": "routine", "top3": ["neurologist", PSYCH]},
        id="migraine-chronic-refractory-mood",
    ),
    # NICE CG150: a new headache without red flags is assessed in primary care first
    pytest.param(
        patient(
            age_group="older_adult",
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["head"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"top3": [PCP], "not_top3": [NSURG]},
        id="headache-new-older-adult",
    ),
    # ---- inflammatory joint pain ----
    # NICE NG100: suspected inflammatory arthritis -> urgent rheumatology
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=INFLAMMATORY,
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "soon", "first": "rheumatologist"},
        id="inflammatory-joints-new",
    ),
    # NICE NG100: synovitis in an older adult -> urgent rheumatology, even with aching too
    pytest.param(
        patient(
            age_group="older_adult",
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints", "arms_or_legs"],
            qualities=[*INFLAMMATORY, "aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit"],
        ),
        {"urgency": "soon", "first": "rheumatologist"},
        id="inflammatory-joints-older-adult",
    ),
    # NICE NG100: urgent rheumatology; a non-drug wish never outranks it in a "soon" case
    pytest.param(
        patient(
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=INFLAMMATORY,
            severity=5,
            tried=["pain_medication"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "soon", "first": "rheumatologist"},
        id="inflammatory-joints-prefers-non-drug",
    ),
    # NICE NG100: inflammatory arthritis is not surgical, whatever the preference
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=INFLAMMATORY,
            severity=6,
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "soon", "first": "rheumatologist", "not_top3": [ORTHO]},
        id="inflammatory-joints-wants-surgeon",
    ),
    # ASA pediatric pain statement: child's persistent pain -> pediatrician, pediatric
    # rheumatology as indicated (swollen joints, morning stiffness)
    pytest.param(
        patient(
            age_group="child",
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=INFLAMMATORY,
            severity=4,
        ),
        {"top3": ["rheumatologist", PCP]},
        id="inflammatory-joints-child",
    ),
    # ---- osteoarthritis-like joint pain in older adults ----
    # NICE NG226: OA pattern -> primary care + PT (exercise); no surgeon at first
    pytest.param(
        patient(
            age_group="older_adult",
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=4,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [ORTHO]},
        id="oa-older-adult-new",
    ),
    # NICE NG226: long-standing OA, nothing tried yet -> exercise first, not surgery
    pytest.param(
        patient(
            age_group="older_adult",
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [ORTHO]},
        id="oa-older-adult-chronic-nothing-tried",
    ),
    # NICE NG226 (core treatment first) + AAOS OrthoInfo (advanced joint damage -> surgeon):
    # long-standing, PT and medication tried, wants a surgical opinion
    pytest.param(
        patient(
            age_group="older_adult",
            duration="over_3_months",
            situation="long_term_condition",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=7,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "top3": [ORTHO]},
        id="oa-older-adult-after-pt-wants-surgeon",
    ),
    # NICE NG226: exercise and information come first even when surgery is wanted
    pytest.param(
        patient(
            age_group="older_adult",
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["joints"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["nothing_yet"],
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [ORTHO]},
        id="oa-older-adult-untreated-wants-surgeon",
    ),
    # ---- nerve pain and sciatica ----
    # NICE CG173: neuropathic pain -> primary care first-line
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=4,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP},
        id="nerve-pain-new",
    ),
    # NICE NG59 / NHS CKS sciatica: new sciatica without red flags -> primary care, PT
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=6,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP, "top3": [PT], "not_top3": [NSURG, ORTHO]},
        id="sciatica-new",
    ),
    # NICE NG59 + NHS Devon: subacute sciatica, nothing tried -> conservative care with PT
    pytest.param(
        patient(
            duration="6_weeks_to_3_months",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=5,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "top3": [PCP, PT], "not_top3": [NSURG]},
        id="sciatica-subacute-nothing-tried",
    ),
    # NICE NG59: sciatica persisting after PT and medication -> physiatrist / pain medicine
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
        ),
        {"urgency": "routine", "top5": [PAIN_MD, "physiatrist"]},
        id="sciatica-chronic-after-pt",
    ),
    # NICE NG59 (epidural steroid option for sciatica, Bernstein BMJ 2017 summary)
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=6,
            tried=["primary_care_visit", "pain_medication", "physical_therapy"],
            preferences=["open_to_injections"],
        ),
        {"urgency": "routine", "top3": [PAIN_MD]},
        id="sciatica-chronic-open-to-injections",
    ),
    # NICE CG173: neuropathic pain limiting daily life after first-line drugs ->
    # specialist pain service or condition-specific service (neurology)
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
        ),
        {"top3": [PAIN_MD], "top5": ["neurologist"]},
        id="nerve-pain-chronic-after-medication",
    ),
    # NICE CG173 (specialist if severe) + NICE NG193 (distress -> pain psychology)
    pytest.param(
        patient(
            age_group="older_adult",
            duration="over_3_months",
            situation="long_term_condition",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=8,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"top3": [PAIN_MD], "top5": ["neurologist", PSYCH]},
        id="nerve-pain-chronic-older-adult-mood",
    ),
    # NICE CG173 + ASA pediatric pain statement: child's tingling -> pediatrician first
    pytest.param(
        patient(
            age_group="child",
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            severity=3,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP},
        id="nerve-pain-child-new",
    ),
    # ---- widespread pain, mood and sleep ----
    # NICE NG193 (exercise) + ACR referral lists: widespread pain -> rheumatology if unclear
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit"],
        ),
        {"urgency": "routine", "top5": ["rheumatologist", PT]},
        id="widespread-chronic",
    ),
    # NICE NG193: chronic primary pain with distress -> CBT/ACT (pain psychology), exercise
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["widespread"],
            qualities=["aching_or_stiff"],
            severity=7,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"urgency": "routine", "top3": [PSYCH], "top5": [PT]},
        id="widespread-chronic-mood",
    ),
    # NICE NG193: exercise + CBT/ACT, no opioids; the patient prefers non-drug care
    pytest.param(
        patient(
            age_group="older_adult",
            duration="over_3_months",
            situation="long_term_condition",
            locations=["widespread"],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "routine", "top3": [PSYCH, PT]},
        id="widespread-older-adult-non-drug-mood",
    ),
    # NICE NG193: chronic pelvic pain with low mood -> pain psychology (CBT/ACT)
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=6,
            tried=["primary_care_visit", "pain_medication"],
            mood_or_sleep_affected=True,
        ),
        {"urgency": "routine", "top3": [PSYCH]},
        id="pelvic-chronic-mood",
    ),
    # NICE NG193 (chronic back pain with distress -> psychology) + NICE NG59 (combined
    # physical and psychological programme)
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["primary_care_visit", "physical_therapy"],
            mood_or_sleep_affected=True,
        ),
        {"urgency": "routine", "top3": [PSYCH], "not_top3": [NSURG]},
        id="back-chronic-mood",
    ),
    # ---- children ----
    # ASA pediatric pain statement: a child's pain -> pediatrician first
    pytest.param(
        patient(
            age_group="child",
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=3,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP},
        id="child-back-new",
    ),
    # ASA pediatric pain statement + APTA: child's minor sports injury -> pediatrician first
    pytest.param(
        patient(
            age_group="child",
            duration="under_6_weeks",
            situation="injury",
            locations=["joints"],
            severity=4,
            tried=["nothing_yet"],
        ),
        {"urgency": "routine", "first": PCP, "not_top3": [NSURG]},
        id="child-minor-injury",
    ),
    # ASA pediatric pain statement: persistent pain in a child -> pediatrician, then a
    # pediatric pain programme (which includes psychology)
    pytest.param(
        patient(
            age_group="child",
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["abdomen_or_pelvis"],
            severity=5,
            tried=["primary_care_visit"],
            mood_or_sleep_affected=True,
        ),
        {"urgency": "routine", "first": PCP, "top5": [PSYCH]},
        id="child-abdominal-chronic-mood",
    ),
    # ---- what has been tried ----
    # NICE NG59 (no repeat fusion) + HHS 2019 Task Force: persistent pain after spine
    # surgery, PT, medication and injections -> pain medicine physician
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back", "arms_or_legs"],
            qualities=["shooting_down_limb"],
            severity=7,
            tried=["surgery", "physical_therapy", "pain_medication", "injections"],
        ),
        {"top3": [PAIN_MD]},
        id="back-persisting-after-surgery-and-injections",
    ),
    # NICE NG59 + HHS 2019 Task Force: high-impact pain after all conservative care,
    # including psychology -> pain medicine / interdisciplinary programme
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["back"],
            severity=8,
            tried=[
                "primary_care_visit",
                "pain_medication",
                "physical_therapy",
                "psychological_support",
                "injections",
            ],
            mood_or_sleep_affected=True,
        ),
        {"top3": [PAIN_MD]},
        id="back-high-impact-everything-tried",
    ),
    # NICE NG59 (physiatry / pain medicine for persisting spine pain) after injections
    pytest.param(
        patient(
            duration="over_3_months",
            situation="long_term_condition",
            locations=["neck"],
            qualities=["aching_or_stiff"],
            severity=6,
            tried=["physical_therapy", "pain_medication", "injections"],
        ),
        {"urgency": "routine", "top5": [PAIN_MD, "physiatrist"]},
        id="neck-chronic-after-injections",
    ),
    # ---- preferences ----
    # NICE NG59 / ACP 2017: exercise first; a non-drug wish lifts PT and psychology
    pytest.param(
        patient(
            duration="over_3_months",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit"],
            preferences=["prefer_non_drug"],
        ),
        {"urgency": "routine", "top3": [PT], "top5": [PSYCH]},
        id="back-chronic-prefers-non-drug",
    ),
    # NICE NG59: new non-specific back pain is not surgical, even if surgery is wanted
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=7,
            tried=["nothing_yet"],
            preferences=["want_surgical_opinion"],
        ),
        {"urgency": "routine", "top3": [PCP], "not_top3": [ORTHO, NSURG]},
        id="back-new-wants-surgeon",
    ),
    # NICE NG59: do not offer spinal injections for (new, non-specific) low back pain
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            qualities=["aching_or_stiff"],
            severity=5,
            tried=["primary_care_visit"],
            preferences=["open_to_injections"],
        ),
        {"urgency": "routine", "top3": [PT], "not_top3": [PAIN_MD]},
        id="back-new-open-to-injections",
    ),
    # NICE NG59: all three preferences together still give conservative first-line care
    pytest.param(
        patient(
            duration="under_6_weeks",
            situation="no_clear_cause",
            locations=["back"],
            severity=6,
            tried=["pain_medication"],
            preferences=PREFERENCES,
        ),
        {"urgency": "routine", "not_top3": [ORTHO, NSURG]},
        id="back-new-all-preferences",
    ),
]


# Cases written for contract 1.1 (new emergencies, the crisis line, ranking guidance).
CASES += NEW_CASES


# --- helpers ---------------------------------------------------------------------------------


def run(answers: dict[str, Any]) -> dict[str, Any]:
    """Call the engine on a copy, so a mutating engine cannot spoil other tests."""
    from .site_engine import recommend

    return recommend(copy.deepcopy(answers))


def ranking(result: dict[str, Any]) -> list[str]:
    return [entry["role"] for entry in result["recommendations"]]


def check_expectations(result: dict[str, Any], expected: dict[str, Any]) -> None:
    """Assert every expectation of one case; report all failures at once."""
    roles = ranking(result)
    problems = []
    if "urgency" in expected and result["urgency"] != expected["urgency"]:
        problems.append(f"urgency {result['urgency']!r}, expected {expected['urgency']!r}")
    if "first" in expected and roles[:1] != [expected["first"]]:
        problems.append(f"rank 1 is {roles[:1]}, expected {expected['first']!r}")
    if "first_any" in expected and roles[0] not in expected["first_any"]:
        problems.append(f"rank 1 is {roles[0]!r}, expected one of {expected['first_any']}")
    if roles[0] in expected.get("not_first", []):
        problems.append(f"rank 1 is {roles[0]!r}, which should not be first")
    whos = {item["who"] for item in result.get("see_also", [])}
    missing_see_also = [who for who in expected.get("see_also", []) if who not in whos]
    if missing_see_also:
        problems.append(f"see_also lacks {missing_see_also} (has {sorted(whos)})")
    if "crisis" in expected and ("crisis" in result) != expected["crisis"]:
        problems.append(f"crisis {'missing' if expected['crisis'] else 'unexpected'}")
    for key, size in (("top3", 3), ("top5", 5)):
        missing = [slug for slug in expected.get(key, []) if slug not in roles[:size]]
        if missing:
            problems.append(f"{missing} not in the first {size}")
    unwanted = [slug for slug in expected.get("not_top3", []) if slug in roles[:3]]
    if unwanted:
        problems.append(f"{unwanted} should not be in the first 3")
    assert not problems, "; ".join(problems) + f" (urgency {result['urgency']}, ranking {roles})"


def case_values() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    return [(case.id, case.values[0], case.values[1]) for case in CASES]


def has_red_flag(answers: dict[str, Any]) -> bool:
    return answers["red_flags"] != ["none"]


def with_preferences(answers: dict[str, Any], preferences: list[str]) -> dict[str, Any]:
    """The same answers with these preferences instead (none: the field is left out)."""
    changed = copy.deepcopy(answers)
    changed.pop("preferences", None)
    if preferences:
        changed["preferences"] = list(preferences)
    return changed


# --- the table itself --------------------------------------------------------------------------


def test_table_has_enough_distinct_cases():
    ids = [case_id for case_id, _, _ in case_values()]
    assert len(ids) >= 150
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_case_uses_only_contract_values(answers, expected):
    assert REQUIRED <= answers.keys() <= REQUIRED | OPTIONAL
    for field, allowed in ONE_CHOICE.items():
        assert answers[field] in allowed, field
    for field, allowed in MULTI_CHOICE.items():
        if field in answers:
            values = answers[field]
            assert isinstance(values, list) and set(values) <= allowed, field
            assert len(set(values)) == len(values), field
    assert answers["red_flags"], "red_flags needs at least one value"
    assert answers["locations"], "locations needs at least one value"
    assert "none" not in answers["red_flags"] or answers["red_flags"] == ["none"]
    severity = answers["severity"]
    assert isinstance(severity, int) and not isinstance(severity, bool)
    assert 0 <= severity <= 10
    if "mood_or_sleep_affected" in answers:
        assert isinstance(answers["mood_or_sleep_affected"], bool)
    if "age_years" in answers:
        low, high = AGE_YEARS[answers["age_group"]]
        assert low <= answers["age_years"] <= high
    assert expected and set(expected) <= EXPECTATION_KEYS
    assert expected.get("urgency", "routine") in URGENCIES
    for key in ("top3", "top5", "not_top3", "not_first", "first_any"):
        assert set(expected.get(key, [])) <= ROLES, key
    if "first" in expected:
        assert expected["first"] in ROLES
        assert expected["first"] not in expected.get("not_top3", [])


def test_every_red_flag_appears_alone_and_mixed():
    plain = {"age_group": "adult", "duration": "under_6_weeks"}
    alone = set()
    mixed = set()
    for _, answers, _ in case_values():
        flags = answers["red_flags"]
        if flags == ["none"] or len(flags) > 1:
            continue
        alone.update(flags)
        unusual = any(answers[field] != value for field, value in plain.items())
        if unusual or OPTIONAL & answers.keys():
            mixed.update(flags)
    assert alone == set(RED_FLAGS)
    assert mixed == set(RED_FLAGS)


# --- the engine: clinical expectations -----------------------------------------------------


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_recommendation_case(answers, expected):
    check_expectations(run(answers), expected)


# --- the engine: properties of every result ------------------------------------------------


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_result_shape(answers, expected):
    result = run(answers)
    assert result["version"] == 1
    assert result["urgency"] in URGENCIES
    assert isinstance(result["message"], str) and result["message"].strip()
    entries = result["recommendations"]
    assert len(entries) == 12
    assert [entry["rank"] for entry in entries] == list(range(1, 13))
    assert sorted(ranking(result)) == sorted(ROLES)
    for entry in entries:
        role = entry["role"]
        assert isinstance(entry["name"], str) and entry["name"].strip(), role
        assert entry["url"] == f"/roles/{role}"
        reasons = entry["reasons"]
        assert reasons and all(isinstance(r, str) and r.strip() for r in reasons), role
        sources = entry["sources"]
        assert sources, role
        assert all(source["title"].strip() for source in sources), role
        assert any(source["url"].startswith("https://") for source in sources), role


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_disclaimer_says_not_a_diagnosis(answers, expected):
    disclaimer = run(answers)["disclaimer"]
    assert isinstance(disclaimer, str)
    assert "not a diagnosis" in disclaimer.lower()


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_deterministic_and_leaves_answers_alone(answers, expected):
    from .site_engine import recommend

    original = copy.deepcopy(answers)
    given = copy.deepcopy(answers)
    first = recommend(given)
    second = recommend(given)
    assert first == second
    assert given == original


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_emergency_if_and_only_if_a_red_flag(answers, expected):
    # contract: any red flag -> emergency with emergency-physician first; no answer
    # without a red flag gives emergency.
    result = run(answers)
    if has_red_flag(answers):
        assert result["urgency"] == "emergency"
        assert ranking(result)[0] == ED
    else:
        assert result["urgency"] != "emergency"


# --- the engine: what preferences may and may not change -----------------------------------

PREFERENCE_SETS = [[], *([p] for p in PREFERENCES), PREFERENCES]


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_preferences_never_change_urgency_or_an_emergency(answers, expected):
    # contract: preferences never change an emergency; urgency is a clinical judgement,
    # so no preference may change it at all.
    urgencies = set()
    for preferences in PREFERENCE_SETS:
        result = run(with_preferences(answers, preferences))
        urgencies.add(result["urgency"])
        if has_red_flag(answers):
            assert ranking(result)[0] == ED, preferences
    assert len(urgencies) == 1, urgencies


@pytest.mark.parametrize(
    ("answers", "expected"),
    [case for case in CASES if case.values[1].get("urgency") == "soon"],
)
def test_prefer_non_drug_keeps_the_clinically_first_role_when_soon(answers, expected):
    # contract "soon" cases (NICE NG100, ASA 2021, ASCO 2017): a non-drug wish may lift
    # PT or psychology, but never above the clinically first role.
    plain = ranking(run(with_preferences(answers, [])))
    non_drug = ranking(run(with_preferences(answers, ["prefer_non_drug"])))
    assert non_drug[0] == plain[0]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [case for case in CASES if not has_red_flag(case.values[0])],
)
def test_prefer_non_drug_never_demotes_the_non_drug_roles(answers, expected):
    # NICE NG193 / NICE NG59: exercise (PT) and CBT/ACT (pain psychology) are the non-drug
    # options; asking for non-drug care must not push the better of the two further down.
    plain = ranking(run(with_preferences(answers, [])))
    non_drug = ranking(run(with_preferences(answers, ["prefer_non_drug"])))
    best_plain = min(plain.index(PT), plain.index(PSYCH))
    best_non_drug = min(non_drug.index(PT), non_drug.index(PSYCH))
    assert best_non_drug <= best_plain, (plain, non_drug)


NEW_NON_SPECIFIC_BACK_PAIN = [
    case
    for case in CASES
    if not has_red_flag(case.values[0])
    and case.values[0]["duration"] == "under_6_weeks"
    and case.values[0]["situation"] == "no_clear_cause"
    and case.values[0]["locations"] == ["back"]
    and case.values[0]["age_group"] != "child"
]


@pytest.mark.parametrize(("answers", "expected"), NEW_NON_SPECIFIC_BACK_PAIN)
def test_want_surgical_opinion_keeps_surgeons_out_of_new_back_pain(answers, expected):
    # NICE NG59 / AANS: new non-specific back pain mostly settles without surgery; wanting a
    # surgical opinion does not make a surgeon one of the first three.
    for preferences in (["want_surgical_opinion"], PREFERENCES):
        top3 = ranking(run(with_preferences(answers, preferences)))[:3]
        assert ORTHO not in top3 and NSURG not in top3, (preferences, top3)
