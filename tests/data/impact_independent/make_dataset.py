"""An independent impact dataset and its known correct figures (issue #15, "How it will be checked").

Standalone on purpose: no `import lms`. Every messy cell in the files is written next to the value a
person reading it would take; the expected figures are computed from those values, following only the
wording of issue #15 sections 2-4, never from the project's code. Run it to rewrite the files:

    .venv/bin/python tests/data/impact_independent/make_dataset.py

Files (all in this folder):
* pendaftar.csv          registrants of the fresh cohort (34 to select and activate, 6 left "Terdaftar")
* survei_peserta.csv     the regency office's participant survey file (comma CSV, messy numbers and lists)
* survei_pembanding.xlsx the comparison group's answers (the non-selected registrants)
* expected.json          the figures `lms impact report --json` must print

Readings of the issue that the figures rest on (each one a choice the issue leaves open is named):
* Participants are the active and graduated enrollments; the comparison group the registrants never
  selected. `respondents_*` count participants who submitted that wave.
* A row whose numbers are impossible (negative, 10^15, letters) is not imported, so it never counts.
* Two answers of one person to one wave: the later one in the file counts (§ Bad input).
* Percentages are in percent (×100), response rate too; numbers rounded to 1 decimal.
* Extreme: change > 1000 % or < -90 % (strict), over the participants with baseline > 0.
* "marketplace or government e-commerce": the marketplaces and food-delivery apps of §1 plus e-Katalog,
  PaDi UMKM, Bela Pengadaan. The dataset avoids "Facebook atau Marketplace Facebook" in any gain, so
  whether Facebook counts does not change a figure.
* comparison_respondents: the comparison registrants who answered the endline (as `respondents_endline`
  counts participants); the n of the comparison's revenue change is `comparison_revenue_n`.
* A filter (--regency, --sector) keeps the participants AND the comparison registrants of that regency
  or sector.
"""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
COHORT_SLUG = "ftd-uji-dampak"
INVALID = object()  # a row whose omzet cannot be accepted

MARKET = {"shopee", "tokopedia", "tiktok-shop", "lazada", "bukalapak", "blibli", "gofood", "grabfood",
          "shopeefood", "ekatalog", "padi-umkm", "bela-pengadaan"}
LEGAL = ["nib", "pirt", "halal", "bpom", "merek"]
LIKERT = ["pola-konten", "pola-pelanggan", "pola-data", "pola-online"]


def phone(n: int) -> str:
    return f"081377000{n:03d}"


# Registrants: (number, name, regency as written, sector as written). 1-34 participants, 51-56 comparison.
PEOPLE = [
    (1, "Rina Tarigan", "Kota Medan", "Kuliner"), (2, "Budi Siregar", "Kota Medan", "Jasa"),
    (3, "Sari Lubis", "Deli Serdang", "Kuliner"), (4, "Tono Hutapea", "Kab. Karo", "Kerajinan"),
    (5, "Lina Sembiring", "Kab. Karo", "Kuliner"), (6, "Agus Nainggolan", "Kota Medan", "Fesyen"),
    (7, "Dewi Ginting", "Deli Serdang", "Kuliner"), (8, "Hendra Purba", "Kab. Simalungun", "Jasa"),
    (9, "Maya Sitepu", "Kota Medan", "Kerajinan"), (10, "Rudi Manurung", "Deli Serdang", "Kuliner"),
    (11, "Fitri Harahap", "Kota Medan", "Fesyen"), (12, "Joko Simanjuntak", "Kab. Simalungun", "Kuliner"),
    (13, "Nur Aisyah", "Kota Medan", "Kuliner"), (14, "Yusuf Daulay", "Deli Serdang", "Jasa"),
    (15, "Ani Pasaribu", "Kab. Karo", "Kuliner"), (16, "Bayu Situmorang", "Kota Medan", "Fesyen"),
    (17, "Citra Hasibuan", "Kota Medan", "Kuliner"), (18, "Doni Saragih", "Kab. Simalungun", "Kerajinan"),
    (19, "Eka Lubis", "Deli Serdang", "Kuliner"), (20, "Fajar Sinaga", "Kota Medan", "Jasa"),
    (21, "Gita Barus", "Kab. Karo", "Kuliner"), (22, "Hadi Pane", "Kota Medan", "Kuliner"),
    (23, "Indah Damanik", "Deli Serdang", "Fesyen"), (24, "Jefri Tambunan", "Kota Medan", "Kuliner"),
    (25, "Kiki Sihombing", "Kab. Simalungun", "Kuliner"), (26, "Lukman Nasution", "Kota Medan", "Jasa"),
    (27, "Mega Silalahi", "Deli Serdang", "Kuliner"), (28, "Nanda Gultom", "Kota Medan", "Kerajinan"),
    (29, "Oki Panjaitan", "Kab. Karo", "Kuliner"), (30, "Putri Rangkuti", "Kota Medan", "Fesyen"),
    (31, "Qori Batubara", "Deli Serdang", "Kuliner"), (32, "Reza Matondang", "Kota Medan", "Kuliner"),
    (33, "Siti Pohan", "Kab. Simalungun", "Kuliner"), (34, "Taufik Lubis", "Kota Medan", "Jasa"),
    (51, "Umar Sitompul", "Kota Medan", "Kuliner"), (52, "Vera Simatupang", "Deli Serdang", "Kuliner"),
    (53, "Wati Hutagalung", "Kota Medan", "Kerajinan"), (54, "Yanto Surbakti", "Kab. Karo", "Kuliner"),
    (55, "Zul Harahap", "Kota Medan", "Jasa"), (56, "Ayu Sinuhaji", "Deli Serdang", "Fesyen"),
]
PARTICIPANTS = set(range(1, 35))
COMPARISON = set(range(51, 57))


def row(n, wave, omzet_text, omzet, staff, kanal_text, kanal, legal_text, legal, likert=(None,) * 4,
        phone_text=None, rebranding="", tools=""):
    """One file row; `omzet` is what the messy text means (INVALID: the row must be refused)."""
    return {"n": n, "wave_text": wave, "omzet_text": omzet_text, "omzet": omzet, "karyawan": staff,
            "kanal_text": kanal_text, "kanal": set(kanal), "legal_text": legal_text, "legal": set(legal),
            "likert": list(likert), "phone_text": phone_text or phone(n), "rebranding": rebranding,
            "tools": tools}


W = {"awal": "baseline", "akhir": "endline", "Baseline": "baseline", "Endline": "endline", "AKHIR": "endline",
     "Awal": "baseline", "lanjutan": "followup", "Lanjutan 6": "followup"}

# The participants' file, in file order. Comments say what each row tests.
ROWS = [
    row(1, "awal", "Rp 1.500.000", 1_500_000, 1, "WA; Instagram", ["whatsapp", "instagram"], "belum ada", [],
        (2, 3, 2, 4), phone_text="0813-7700-0001"),
    row(2, "awal", "2 jt", 2_000_000, 0, "Toko", ["offline"], "NIB", ["nib"], (3, 3, 2, 3),
        phone_text="+62 813 7700 0002"),
    row(3, "awal", "750 rb", 750_000, 2, "Tokopedia, WA", ["tokopedia", "whatsapp"], "NIB; PIRT", ["nib", "pirt"],
        (2, 2, 1, 3)),
    row(4, "awal", "0", 0, 0, "WA", ["whatsapp"], "-", [], (1, 2, 1, 2)),              # zero baseline
    row(5, "Awal", "Rp 0", 0, 1, "Toko", ["offline"], "", [], (3, 3, 3, 3)),            # zero baseline, zero endline
    row(6, "awal", "Rp 5.000.000", 5_000_000, 3, "Shopee; Toko", ["shopee", "offline"], "NIB, Halal",
        ["nib", "halal"], (3, 4, 3, 4)),
    row(7, "awal", "100 rb", 100_000, 0, "WA", ["whatsapp"], "", [], (1, 1, 1, 2)),     # +1400 %
    row(8, "awal", "10 juta", 10_000_000, 4, "Toko; Tokopedia", ["offline", "tokopedia"], "NIB; PIRT; Halal",
        ["nib", "pirt", "halal"], (4, 4, 4, 4)),                                          # -95 %
    row(9, "awal", "Rp 3.000.000", 3_000_000, 2, "IG", ["instagram"], "NIB", ["nib"], (2, 3, 2, 3)),  # no endline
    row(10, "Baseline", "1.200.000", 1_200_000, 1, "WA", ["whatsapp"], "", [], (3, 2, 2, 3)),        # no endline
    row(11, "awal", "2,5 juta", 2_500_000, 2, "Toko, WA", ["offline", "whatsapp"], "PIRT", ["pirt"], (2, 3, 3, 3)),
    row(12, "awal", "4 juta", 4_000_000, 3, "Shopee", ["shopee"], "NIB", ["nib"], (3, 3, 2, 4)),
    row(13, "awal", "800rb", 800_000, 0, "WA", ["whatsapp"], "", [], (2, 2, 2, 2)),
    row(14, "awal", "1 juta", 1_000_000, 1, "Toko", ["offline"], "NIB", ["nib"], (3, 3, 3, None)),  # blank Likert
    row(15, "awal", "6 juta", 6_000_000, 5, "GoFood; Toko", ["gofood", "offline"], "NIB; PIRT; Halal",
        ["nib", "pirt", "halal"], (4, 4, 3, 4)),
    row(16, "awal", "Rp2.000.000", 2_000_000, 2, "Instagram", ["instagram"], "", [], (2, 2, 2, 3)),
    row(17, "awal", "3,5 jt", 3_500_000, 1, "WA; IG", ["whatsapp", "instagram"], "NIB", ["nib"], (2, 3, 2, 2)),
    row(18, "awal", "1.750.000", 1_750_000, 0, "Toko", ["offline"], "", [], (3, 3, 2, 3)),
    row(19, "awal", "900 ribu", 900_000, 1, "WA", ["whatsapp"], "PIRT", ["pirt"], (2, 2, 2, 3)),
    row(20, "awal", "12 juta", 12_000_000, 6, "Shopee, Tokopedia, Toko", ["shopee", "tokopedia", "offline"],
        "NIB, PIRT, Halal, BPOM", ["nib", "pirt", "halal", "bpom"], (4, 4, 4, 5)),
    row(21, "awal", "400 rb", 400_000, 0, "WA", ["whatsapp"], "", [], (1, 2, 1, 2)),
    row(22, "awal", "Rp 2.200.000", 2_200_000, 2, "Toko", ["offline"], "NIB", ["nib"], (3, 3, 3, 3)),
    # 23: no baseline at all (endline below).
    row(24, "awal", "1 juta", 1_000_000, 1, "WA", ["whatsapp"], "", [], (2, 2, 2, 2)),
    row(25, "awal", "2 juta", 2_000_000, 2, "Toko", ["offline"], "NIB", ["nib"], (3, 3, 3, 3)),
    row(26, "awal", "1,5 juta", 1_500_000, 0, "WA", ["whatsapp"], "", [], (2, 3, 2, 3)),
    row(27, "awal", "Rp 3.000.000", 3_000_000, 3, "Toko; WA", ["offline", "whatsapp"], "NIB", ["nib"], (3, 3, 3, 4)),
    row(27, "awal", "tiga juta", INVALID, 3, "Toko", ["offline"], "NIB", ["nib"]),        # letters: refused
    row(28, "awal", "50rb", 50_000, 0, "WA", ["whatsapp"], "", [], (1, 1, 1, 1)),          # +1100 %
    row(29, "awal", "1 juta", 1_000_000, 1, "Toko", ["offline"], "", [], (2, 2, 2, 2)),     # exactly +1000 %
    row(30, "awal", "1 juta", 1_000_000, 2, "Toko", ["offline"], "NIB", ["nib"], (3, 3, 3, 3)),  # exactly -90 %
    row(31, "awal", "2.000.000", 2_000_000, 1, "WA, IG", ["whatsapp", "instagram"], "", [], (2, 2, 2, 3)),
    row(32, "awal", "0", 0, 0, "WA", ["whatsapp"], "", [], (1, 1, 1, 1)),                    # zero baseline
    row(33, "awal", "1 juta", 1_000_000, 1, "WA", ["whatsapp"], "", [], (2, 2, 2, 2)),       # replaced below
    # --- endline ---
    row(1, "akhir", "3 juta", 3_000_000, 2, "WA; Instagram; Shopee", ["whatsapp", "instagram", "shopee"], "NIB",
        ["nib"], (4, 4, 3, 5), phone_text="0813 7700 0001", rebranding="Logo; Kemasan", tools="QRIS"),
    row(2, "akhir", "Rp2.500.000", 2_500_000, 1, "Toko; e-Katalog", ["offline", "ekatalog"], "NIB; Halal",
        ["nib", "halal"], (3, 4, 3, 4), phone_text="6281377000002"),
    row(3, "akhir", "1,5 juta", 1_500_000, 2, "Tokopedia; WA", ["tokopedia", "whatsapp"], "NIB; PIRT",
        ["nib", "pirt"], (3, 3, None, 4)),                                                # blank Likert (data)
    row(4, "Endline", "1 juta", 1_000_000, 0, "WA, Shopee", ["whatsapp", "shopee"], "NIB", ["nib"], (3, 3, 2, 4)),
    row(5, "akhir", "0", 0, 0, "Toko", ["offline"], "", [], (3, 3, 3, 3)),
    row(6, "akhir", "4 juta", 4_000_000, 2, "Shopee; Toko", ["shopee", "offline"], "NIB, Halal", ["nib", "halal"],
        (3, 4, 4, 4)),
    row(7, "akhir", "1,5 juta", 1_500_000, 1, "WA; PaDi UMKM", ["whatsapp", "padi-umkm"], "NIB; PIRT",
        ["nib", "pirt"], (3, 3, 2, 4)),
    row(8, "akhir", "500 rb", 500_000, 1, "Toko", ["offline"], "NIB; PIRT; Halal", ["nib", "pirt", "halal"],
        (3, 3, 3, 3)),
    row(11, "AKHIR", "2,5 juta", 2_500_000, 3, "Toko, WA", ["offline", "whatsapp"], "PIRT, NIB", ["pirt", "nib"],
        (3, 3, 3, 3)),
    row(12, "akhir", "4,4 juta", 4_400_000, 4, "Shopee", ["shopee"], "NIB", ["nib"], (3, 3, 3, 4)),  # replaced below
    row(13, "akhir", "1.200.000", 1_200_000, 0, "WA; GoFood", ["whatsapp", "gofood"], "PIRT", ["pirt"],
        (3, 3, 2, 3)),                                                                    # food delivery counts
    row(14, "akhir", "Rp 1.100.000", 1_100_000, 1, "Toko; Instagram", ["offline", "instagram"], "NIB", ["nib"],
        (3, 4, 3, 4)),                                                                    # IG is not a marketplace
    row(15, "akhir", "9 juta", 9_000_000, 7, "GoFood; GrabFood; Toko", ["gofood", "grabfood", "offline"],
        "NIB; PIRT; Halal; BPOM", ["nib", "pirt", "halal", "bpom"], (5, 5, 4, 5)),
    row(16, "akhir", "1 juta", 1_000_000, 2, "Instagram", ["instagram"], "", [], (2, 2, 2, 2)),
    row(17, "akhir", "7 juta", 7_000_000, 3, "WA; IG; Tokopedia; Shopee", ["whatsapp", "instagram", "tokopedia",
                                                                            "shopee"],
        "NIB; Merek", ["nib", "merek"], (4, 4, 4, 4)),
    row(18, "akhir", "2,1 juta", 2_100_000, 1, "Toko", ["offline"], "NIB", ["nib"], (3, 4, 3, 4)),
    row(19, "akhir", "1.350.000", 1_350_000, 1, "WA", ["whatsapp"], "PIRT, Halal", ["pirt", "halal"], (3, 3, 3, 3)),
    row(20, "akhir", "15 juta", 15_000_000, 8, "Shopee, Toko", ["shopee", "offline"], "NIB, PIRT, Halal, BPOM, HAKI",
        ["nib", "pirt", "halal", "bpom", "merek"], (5, 5, 4, 5)),                         # dropped Tokopedia
    row(21, "akhir", "2 juta", 2_000_000, 2, "WA; Shopee; TikTok Shop", ["whatsapp", "shopee", "tiktok-shop"], "NIB",
        ["nib"], (3, 4, 3, 4)),
    row(22, "akhir", "2.420.000", 2_420_000, 2, "Toko", ["offline"], "", [], (3, 3, 3, 3)),   # lost NIB
    row(23, "akhir", "3 juta", 3_000_000, 1, "Shopee", ["shopee"], "NIB", ["nib"], (4, 4, 4, 4)),  # no baseline
    row(24, "akhir", "-500.000", INVALID, 1, "WA", ["whatsapp"], "", []),                 # negative: refused
    row(25, "akhir", "1000000000000000", INVALID, 2, "Toko", ["offline"], "NIB", ["nib"]),  # 10^15: refused
    row(26, "akhir", "Rp 1.5OO.OOO", INVALID, 0, "WA", ["whatsapp"], "", []),             # letter O: refused
    row(27, "akhir", "3,3 juta", 3_300_000, 3, "Toko; WA", ["offline", "whatsapp"], "NIB; SPP-IRT", ["nib", "pirt"],
        (3, 4, 3, 4)),
    row(28, "akhir", "600 rb", 600_000, 1, "WA", ["whatsapp"], "", [], (2, 2, 2, 2)),
    row(29, "akhir", "11 juta", 11_000_000, 4, "Toko; Bela Pengadaan", ["offline", "bela-pengadaan"], "NIB",
        ["nib"], (4, 4, 4, 4)),
    row(30, "akhir", "100 rb", 100_000, 1, "Toko", ["offline"], "NIB", ["nib"], (2, 2, 2, 2)),
    row(31, "akhir", "2,6 juta", 2_600_000, 1, "WA, IG, Lazada", ["whatsapp", "instagram", "lazada"], "BPOM",
        ["bpom"], (3, 3, 3, 3)),
    row(32, "akhir", "500 rb", 500_000, 0, "WA", ["whatsapp"], "", [], (2, 2, 2, 2)),
    row(33, "awal", "2 juta", 2_000_000, 2, "WA", ["whatsapp"], "", [], (2, 3, 2, 2)),      # second baseline counts
    row(33, "akhir", "3 juta", 3_000_000, 2, "WA; Blibli", ["whatsapp", "blibli"], "NIB", ["nib"], (3, 3, 3, 3)),
    row(12, "akhir", "6 juta", 6_000_000, 5, "Shopee; Tokopedia", ["shopee", "tokopedia"], "NIB; Merek",
        ["nib", "merek"], (4, 4, 3, 4)),                                                  # second endline counts
    # Follow-up rows: not part of the before-and-after figures.
    row(1, "lanjutan", "5 juta", 5_000_000, 3, "Shopee", ["shopee"], "NIB", ["nib"], (5, 5, 5, 5)),
    row(6, "Lanjutan 6", "6 juta", 6_000_000, 3, "Shopee", ["shopee"], "NIB", ["nib"], (4, 4, 4, 4)),
]
# Rows that cannot be matched at all, also reported and not imported.
BAD_ROWS = [
    {"phone_text": "0813-9999-0000", "wave_text": "akhir", "omzet_text": "1 juta", "karyawan": "1"},  # not in cohort
    {"phone_text": phone(34), "wave_text": "tengah", "omzet_text": "1 juta", "karyawan": "1"},          # unknown wave
]

COMPARISON_ROWS = [
    row(51, "awal", "1 juta", 1_000_000, 1, "WA", ["whatsapp"], "", []),
    row(52, "awal", "Rp 2.000.000", 2_000_000, 2, "Toko", ["offline"], "NIB", ["nib"]),
    row(53, "awal", "500 rb", 500_000, 0, "WA", ["whatsapp"], "", []),
    row(54, "awal", "0", 0, 0, "Toko", ["offline"], "", []),
    row(55, "awal", "3 juta", 3_000_000, 2, "Toko", ["offline"], "NIB", ["nib"]),           # no endline
    row(56, "awal", "1,5 juta", 1_500_000, 1, "WA; IG", ["whatsapp", "instagram"], "", []),
    row(51, "akhir", "1,1 juta", 1_100_000, 1, "WA", ["whatsapp"], "", []),
    row(52, "akhir", "2 juta", 2_000_000, 2, "Toko", ["offline"], "NIB", ["nib"]),
    row(53, "akhir", "600 rb", 600_000, 1, "WA, Shopee", ["whatsapp", "shopee"], "", []),
    row(54, "akhir", "300 rb", 300_000, 0, "Toko", ["offline"], "", []),
    row(56, "akhir", "1,2 juta", 1_200_000, 1, "WA", ["whatsapp"], "", []),
]


# --- The expected figures, from the wording only ---

def latest(rows, members):
    """(person, wave) -> the answer that counts: the last acceptable row of the file."""
    answers = {}
    for r in rows:
        wave = W[r["wave_text"]]
        if r["omzet"] is INVALID or r["n"] not in members:
            continue
        answers[(r["n"], wave)] = r
    return answers


def pct(base, end):
    return (end - base) / base * 100


def r1(value):
    return None if value is None else round(value + 0.0, 1)


def revenue_figures(answers, members):
    paired = [n for n in sorted(members) if (n, "baseline") in answers and (n, "endline") in answers]
    positive = [n for n in paired if answers[(n, "baseline")]["omzet"] > 0]
    changes = {n: pct(answers[(n, "baseline")]["omzet"], answers[(n, "endline")]["omzet"]) for n in positive}
    base_total = sum(answers[(n, "baseline")]["omzet"] for n in positive)
    end_total = sum(answers[(n, "endline")]["omzet"] for n in positive)
    return paired, positive, changes, {
        "mean": statistics.mean(changes.values()),
        "median": statistics.median(changes.values()),
        "of_totals": (end_total - base_total) / base_total * 100,
        "share_up": sum(answers[(n, "endline")]["omzet"] > answers[(n, "baseline")]["omzet"]
                        for n in positive) / len(positive) * 100,
        "excluded_zero": len(paired) - len(positive),
    }


REGENCY_CODES = {"Kota Medan": "1275", "Deli Serdang": "1212", "Kab. Karo": "1211", "Kab. Simalungun": "1209"}
SECTOR_IDS = {"Kuliner": "kuliner", "Jasa": "jasa", "Kerajinan": "kriya", "Fesyen": "kriya"}
FILTERS = {"regency": ("1275", lambda regency, sector: REGENCY_CODES[regency] == "1275"),
           "sector": ("kuliner", lambda regency, sector: SECTOR_IDS[sector] == "kuliner")}


def expected():
    figures = figures_for(PARTICIPANTS, COMPARISON)
    figures["filtered"] = {}
    for name, (value, keep) in FILTERS.items():
        kept = {n for n, _, regency, sector in PEOPLE if keep(regency, sector)}
        figures["filtered"][f"--{name} {value}"] = figures_for(PARTICIPANTS & kept, COMPARISON & kept)
    figures["import"] = {"participant_rows": len(ROWS) + len(BAD_ROWS),
                         "refused_rows": sum(r["omzet"] is INVALID for r in ROWS) + len(BAD_ROWS),
                         "comparison_rows": len(COMPARISON_ROWS)}
    return figures


def figures_for(participants, comparison_group):
    """Every figure of issue #15 §2 and §4 over these participants and this comparison group."""
    answers = latest(ROWS, participants)
    paired, positive, changes, revenue = revenue_figures(answers, participants)
    base = {n: answers[(n, "baseline")] for n in paired}
    end = {n: answers[(n, "endline")] for n in paired}
    endline_respondents = sum((n, "endline") in answers for n in participants)
    mindset = {}
    for index, item in enumerate(LIKERT):
        diffs = [end[n]["likert"][index] - base[n]["likert"][index] for n in paired
                 if base[n]["likert"][index] is not None and end[n]["likert"][index] is not None]
        mindset[item] = {"n": len(diffs), "mean_change": r1(statistics.mean(diffs))}
    comparison = latest(COMPARISON_ROWS, comparison_group)
    c_paired, c_positive, c_changes, c_revenue = revenue_figures(comparison, comparison_group)
    extreme = sorted(n for n, change in changes.items() if change > 1000 or change < -90)
    return {
        "participants": len(participants),
        "respondents_baseline": sum((n, "baseline") in answers for n in participants),
        "respondents_endline": endline_respondents,
        "response_rate": r1(endline_respondents / len(participants) * 100),
        "paired": len(paired),
        "revenue_n": len(positive),
        "revenue_mean_pct_change": r1(revenue["mean"]),
        "revenue_median_pct_change": r1(revenue["median"]),
        "revenue_pct_change_of_totals": r1(revenue["of_totals"]),
        "share_revenue_up": r1(revenue["share_up"]),
        "excluded_zero_baseline": revenue["excluded_zero"],
        "jobs_created": sum(end[n]["karyawan"] - base[n]["karyawan"] for n in paired),
        "marketplace_onboarded": sum(bool((end[n]["kanal"] - base[n]["kanal"]) & MARKET) for n in paired),
        "legality_gained": {item: sum(item not in base[n]["legal"] and item in end[n]["legal"] for n in paired)
                            for item in LEGAL},
        "mindset_change": mindset,
        "comparison_respondents": sum((n, "endline") in comparison for n in comparison_group),
        "comparison_revenue_n": len(c_positive),
        "comparison_revenue_median_pct_change": r1(c_revenue["median"]),
        "comparison_revenue_mean_pct_change": r1(c_revenue["mean"]),
        "did_revenue_median_pct_change": r1(revenue["median"] - c_revenue["median"]),
        "did_revenue_mean_pct_change": r1(revenue["mean"] - c_revenue["mean"]),
        "extreme_changes": [{"phone": "+62" + phone(n)[1:], "pct_change": r1(changes[n])} for n in extreme],
    }


# --- The files, as a regency office writes them ---

REGISTRANT_HEADER = ["No", "Nama Lengkap", "No. HP/WA", "Kabupaten/Kota", "Nama Usaha", "Bidang Usaha"]
SURVEY_HEADER = ["No", "Nama", "No HP", "Gelombang", "Omzet per bulan", "Jumlah karyawan", "Kanal penjualan",
                 "Legalitas", "Rebranding", "Alat digital", "Pola konten", "Pola pelanggan", "Pola data",
                 "Pola online", "Pewawancara"]


def write_files():
    names = {n: name for n, name, _, _ in PEOPLE}
    with open(HERE / "pendaftar.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTRANT_HEADER)
        for index, (n, name, regency, sector) in enumerate(PEOPLE, 1):
            writer.writerow([index, name, phone(n), regency, f"Usaha {name.split()[0]}", sector])
    with open(HERE / "survei_peserta.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SURVEY_HEADER)
        for index, r in enumerate(ROWS, 1):
            likert = ["" if v is None else str(v) for v in r["likert"]]
            writer.writerow([index, names[r["n"]], r["phone_text"], r["wave_text"], r["omzet_text"], r["karyawan"],
                             r["kanal_text"], r["legal_text"], r["rebranding"], r["tools"], *likert, "Petugas Dinas"])
        for index, bad in enumerate(BAD_ROWS, len(ROWS) + 1):
            writer.writerow([index, "?", bad["phone_text"], bad["wave_text"], bad["omzet_text"], bad["karyawan"],
                             "", "", "", "", "", "", "", "", "Petugas Dinas"])
    from openpyxl import Workbook  # the generator only; the test reads the committed file

    book = Workbook()
    sheet = book.active
    sheet.title = "Pembanding"
    sheet.append(["No. HP/WA", "Gelombang", "Omzet per bulan", "Jumlah karyawan", "Kanal penjualan", "Legalitas"])
    for r in COMPARISON_ROWS:
        sheet.append([r["phone_text"], r["wave_text"], r["omzet_text"], r["karyawan"], r["kanal_text"],
                      r["legal_text"]])
    book.save(HERE / "survei_pembanding.xlsx")
    (HERE / "expected.json").write_text(json.dumps(expected(), indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")


if __name__ == "__main__":
    write_files()
    print(json.dumps(expected(), indent=2))
