#!/usr/bin/env bash
# Functions the C sources must not call, as curl's checksrc.pl bans them.
# Usage: scripts/lint/banned.sh DIR|FILE...   (scripts/lint.sh runs it on src/ and fuzz/)
# Prints "file:line: banned function NAME: why; what instead" for each call
# (comments, string and character literals do not count); exit 1 when there
# is any. docs/decisions.md ("Static gates") says why each is on the list, and
# why strncpy is and strtok_r is not.
set -uo pipefail
[ $# -gt 0 ] || { echo "用法: scripts/lint/banned.sh 目录或文件..." >&2; exit 2; }
find "$@" -name '*.[ch]' | LC_ALL=C sort | perl -e '
my @banned = (
  [gets     => "no bound on the line; use fgets or getline"],
  [strcpy   => "no bound; use snprintf or memcpy with a known length"],
  [strcat   => "no bound; use tz_buf or snprintf"],
  [strncat  => "its bound is the space left, an easy off-by-one; use tz_buf or snprintf"],
  [strncpy  => "leaves the target without a NUL when the source is long; use snprintf or memcpy"],
  [sprintf  => "no bound; use snprintf or tz_buf_printf"],
  [vsprintf => "no bound; use vsnprintf or tz_buf_vprintf"],
  [strtok   => "hidden static state; use strtok_r or strchr"],
  [atoi     => "no error report, undefined on overflow; use tz_num_int (util/num.h) or strtol with an end check"],
  [atol     => "no error report, undefined on overflow; use tz_num_int (util/num.h) or strtol with an end check"],
  [atoll    => "no error report, undefined on overflow; use tz_num_int (util/num.h) or strtoll with an end check"],
  [atof     => "no error report; use strtod with an end check"],
  [tmpnam   => "the name can be taken before it is opened; use mkstemp or tz_tmp"],
  [tempnam  => "the name can be taken before it is opened; use mkstemp or tz_tmp"],
  [mktemp   => "the name can be taken before it is opened; use mkstemp or tz_tmp"],
  [alloca   => "unbounded stack allocation; use a fixed array or malloc"],
  [asctime  => "static result buffer; use strftime"],
  [ctime    => "static result buffer; use localtime_r and strftime"],
  [gmtime   => "static result; use gmtime_r"],
  [localtime=> "static result; use localtime_r"],
  [system   => "runs a shell; use fork and exec (tz_sandbox)"],
  [popen    => "runs a shell; use fork and exec (tz_sandbox)"],
);
# a call: NAME( not preceded by an identifier character, "." or "->"
my $names = join "|", map { $_->[0] } @banned;
my $any = qr/(?<![A-Za-z0-9_.>])(?:$names)\s*\(/;
my $found = 0;
while (my $f = <STDIN>) {
  chomp $f;
  open(my $fh, "<", $f) or die "$f: $!\n";
  local $/; my $src = <$fh>; close $fh;
  # blank out comments, string and character literals, keeping the newlines
  $src =~ s{/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27}
           { (my $m = $&) =~ s/[^\n]//g; $m }gse;
  my @lines = split /\n/, $src, -1;
  for my $i (0 .. $#lines) {
    next unless $lines[$i] =~ $any;
    for my $b (@banned) {
      if ($lines[$i] =~ /(?<![A-Za-z0-9_.>])$b->[0]\s*\(/) {
        print "$f:", $i + 1, ": banned function $b->[0]: $b->[1]\n";
        $found++;
      }
    }
  }
}
exit($found ? 1 : 0);
'
