#!/usr/bin/env python3
"""funclen.py - the "length" gate of scripts/lint.sh (issue 8): a function
over LIMIT lines (default 100, from its opening brace to its closing one)
must say why it stays long, in the comment right above it, with the word
"long" or "长". Prints "file:line: length: NAME is N lines ..." per finding.

It reads the house layout that clang-format keeps: a definition's opening
brace and closing brace stand alone in column 0.
"""
import re
import sys

LIMIT = 100
NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(')


def comment_above(lines, start):
    """The block comment ending on the line above start, or ''."""
    j = start - 1
    if j < 0 or not lines[j].rstrip().endswith('*/'):
        return ''
    k = j
    while k >= 0 and '/*' not in lines[k]:
        k -= 1
    return '\n'.join(lines[max(k, 0):j + 1])


def scan(path, limit):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    out = []
    i = 0
    while i < len(lines):
        if lines[i] == '{' and i > 0:
            # the signature: the lines above, up to a blank line, a comment
            # end, a directive or a previous declaration
            j = i - 1
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].rstrip().endswith(
                    ('*/', ';', '}')) and not lines[j - 1].startswith('#'):
                j -= 1
            k = i + 1
            while k < len(lines) and lines[k] != '}':
                k += 1
            n = k - i + 1
            sig = ' '.join(lines[j:i])
            m = NAME.search(sig)
            if n > limit and '(' in sig and not re.search(r'long|长', comment_above(lines, j), re.I):
                out.append(f"{path}:{j + 1}: length: {m.group(1) if m else '?'} is {n} lines "
                           f"(over {limit}): split it where a name explains a part, or say in the "
                           f"comment above it why it stays long")
            i = k
        i += 1
    return out


def main(argv):
    limit = LIMIT
    files = argv[1:]
    if files and files[0].startswith('--limit='):
        limit = int(files[0].split('=', 1)[1])
        files = files[1:]
    for path in files:
        for line in scan(path, limit):
            print(line)


if __name__ == '__main__':
    main(sys.argv)
