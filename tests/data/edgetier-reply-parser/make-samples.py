#!/usr/bin/env python3
# make-samples.py - builds messages/ and expected/ of this corpus from a checkout of
# EdgeTier/email-reply-parser (test/emails and the expectations of its tests).
# Usage: make-samples.py EMAILS_DIR   (ours, not upstream's code; see README)
# Each sample: the fixture unchanged, and as expected the lines (1-based, inclusive ranges)
# upstream's test keeps: its literal expectation (==), or the text its startswith/endswith
# assertions bound, with closings kept (cut_off_at_signature(include=True)).
import os, sys

fx = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
for sub in ("messages", "expected"):
    os.makedirs(os.path.join(here, sub), exist_ok=True)

ALL = None
KEEP = {
    "bet_at_home_bottom_posting": [(9, 11)],   # header block above, bold dot line below
    "bet_at_home_footer_separator": [(1, 3)],  # the "**. . . .**" footer divider and after
    "dutch_beste_example": ALL,
    "email_arabic": [(1, 5)],                  # Outlook's Arabic header block
    "email_arabic_2": [(1, 1)],                # Arabic "Sent from iPhone", Apple attribution
    "email_arabic_3": [(1, 1)],                # Gmail's Arabic attribution
    "email_czech_1": [(1, 1)],
    "email_french": [(1, 11)],
    "email_french_accent_sent_on": [(1, 1)],
    "email_german": ALL,
    "email_german_2": [(1, 1)],
    "email_greek_1": [(1, 5)],
    "email_iphone_arabic": [(1, 1)],
    "email_iphone_finnish": [(1, 7)],
    "email_iphone_french": [(1, 7)],
    "email_iphone_polish": [(1, 7)],
    "email_iphone_portuguese": [(1, 7)],
    "email_iphone_start": [(3, 9)],            # "Sent from iPhone" first, an underscore line
    "email_iphone_start_german": [(3, 9)],
    "email_malformed_thread_header": [(1, 3)],
    "email_no_signature": ALL,
    "email_one_line": ALL,
    "email_polish_1": [(1, 1)],
    "email_polish_2": [(1, 1)],
    "email_polish_3": [(1, 1)],
    "email_polish_4": [(1, 1)],
    "email_portuguese": [(1, 8)],              # "Obter o Outlook para Android"
    "email_portuguese_1": [(1, 1)],
    "email_portuguese_2": [(1, 1)],
    "email_portuguese_3": [(1, 5)],
    "email_romanian_1": [(1, 1)],
    "email_signature": [(1, 7)],               # underscore signature block
    "email_with_header_warning": [(7, 11)],    # a gateway's CAUTION banner, "Sent from my iPhone"
    "email_with_quoted_text": [(1, 5)],
    "email_with_stars_signoff": [(1, 7)],      # "* * *" signature separator
    "email_with_two_headers": [(1, 1)],
    "forwarded_message_french": [(1, 8)],
    "french_signoff": [(1, 4)],
    "german_signoff": [(1, 3)],
    "german_signoff_2": [(1, 3)],
    "long_passage": ALL,
    "original_message_german": [(1, 5)],
    "original_message_german_2": [(1, 2)],
    "sent_from_device_in_thread": [(1, 1)],
    "sent_from_device_in_thread_dutch": [(1, 1)],
    "sent_from_device_in_thread_english": [(1, 1)],
    "sent_from_device_in_thread_german": [(1, 1)],
    "sent_from_device_in_thread_hungarian": [(1, 1)],
    "sent_from_device_in_thread_portuguese": [(1, 1)],
    "sent_from_device_in_thread_romanian": [(1, 1)],
    "spanish_signoff": [(1, 5)],
    "swiss_german_signoff_no_trailing_newline": ALL,
    "swiss_german_signoff_with_quoted_thread": [(1, 3)],
    "test_word_limit": ALL,
    "vielen_dank_mid_message": ALL,
}

for name, ranges in KEEP.items():
    with open(os.path.join(fx, name + ".txt"), encoding="utf-8") as f:
        body = f.read()
    lines = body.split("\n")
    if ranges is ALL:
        want = lines
    else:
        want = [l for a, b in ranges for l in lines[a - 1:b]]
    with open(os.path.join(here, "messages", name + ".txt"), "w", encoding="utf-8") as f:
        f.write(body)
    with open(os.path.join(here, "expected", name + ".txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(want).strip() + "\n")
