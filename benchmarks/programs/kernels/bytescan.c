/*
 * Byte-wise loops with every loop in main, entered once: generating text, a bitwise-table CRC-32,
 * counting lines and words, and a naive substring search, over a 4 MiB buffer. The CRC is
 * checked on the standard check input first ("123456789" -> cbf43926); the counts are checked
 * against the generator's own.
 */
#include <stdint.h>
#include <stdio.h>

#define SIZE (4u << 20)
#define PASSES 14

static unsigned char text[SIZE];
static uint32_t crcTable[256];

int main(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        crcTable[i] = c;
    }
    static const unsigned char check[] = "123456789";
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < 9; i++) {
        crc = crcTable[(crc ^ check[i]) & 0xFF] ^ (crc >> 8);
    }
    if ((crc ^ 0xFFFFFFFFu) != 0xCBF43926u) {
        printf("bytescan: CRC-32 of the check input is %08x\n", crc ^ 0xFFFFFFFFu);
        return 1;
    }

    uint32_t seed = 12345, generatedLines = 0, generatedWords = 0;
    int inWord = 0;
    for (uint32_t i = 0; i < SIZE; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = (seed >> 16) & 0x7FFF;
        unsigned char ch = r % 23 == 0 ? '\n' : r % 6 == 0 ? ' ' : (unsigned char) ('a' + r % 26);
        text[i] = ch;
        if (ch == '\n') {
            generatedLines++;
        }
        if (ch != ' ' && ch != '\n' && !inWord) {
            generatedWords++;
        }
        inWord = ch != ' ' && ch != '\n';
    }

    uint32_t crcs = 0, matches = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        crc = 0xFFFFFFFFu;
        for (uint32_t i = 0; i < SIZE; i++) {
            crc = crcTable[(crc ^ text[i]) & 0xFF] ^ (crc >> 8);
        }
        crcs ^= (crc ^ 0xFFFFFFFFu) + (uint32_t) pass;

        uint32_t lines = 0, words = 0;
        inWord = 0;
        for (uint32_t i = 0; i < SIZE; i++) {
            unsigned char ch = text[i];
            lines += ch == '\n';
            int letter = ch != ' ' && ch != '\n';
            words += letter && !inWord;
            inWord = letter;
        }
        if (lines != generatedLines || words != generatedWords) {
            printf("bytescan: pass %d counted %u lines and %u words, generated %u and %u\n", pass, lines, words,
                   generatedLines, generatedWords);
            return 1;
        }

        const unsigned char pattern[3] = {(unsigned char) ('a' + pass), 'e', ' '};
        for (uint32_t i = 0; i + 3 <= SIZE; i++) {
            uint32_t k = 0;
            while (k < 3 && text[i + k] == pattern[k]) {
                k++;
            }
            matches += k == 3;
        }
        /* Change one letter per pass, so that no pass repeats the previous one and the counts hold. */
        uint32_t at = (pass * 7919u) % SIZE;
        while (text[at] == ' ' || text[at] == '\n') {
            at++;
        }
        text[at] = (unsigned char) ('a' + pass);
    }
    printf("bytescan: %u lines, %u words, crc digest %08x, %u matches\n", generatedLines, generatedWords, crcs,
           matches);
    return 0;
}
