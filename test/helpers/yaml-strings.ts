// Strings for the YAML writer's tests (test/yaml-emit.test.ts, test/yaml-emit-pyyaml.test.ts).
/** Strings that each break some naive writer: indicators, YAML 1.1 and 1.2 look-alikes, spaces, breaks, unicode. */
export const ADVERSARIAL = [
  '', ' ', '  ', ':', '::', 'a:', ':a', 'a: b', 'a:b', '#', 'a #b', 'a#b', '# a', '-', '- a', '-a', '--', '?', '? a', '?a',
  'yes', 'Yes', 'YES', 'no', 'NO', 'on', 'On', 'off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'False', 'TRUE', 'null', 'Null', 'NULL', '~',
  '0', '-0', '+1', 'e5', 'e12345', 'E1234567', '012', '0o17', '0x1', '0x1F', '0b101', '1_000', '1e3', '1E-7', '.5', '5.', '-.5', '1.5e+3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN',
  '1:20', '1:20:30', '190:20:30.15', '2024-01-01', '2024-1-1', '2024-01-01T10:00:00Z', '2024-01-01 10:00:00 +5', '<<', '=',
  ' lead', 'trail ', '\tlead', 'trail\t', 'a\tb', 'a  b', '\n', 'a\nb', 'a\n', '\na', 'a\n\nb', 'a \nb', 'a\n b', '\r', 'a\r\nb',
  '---', '--- a', '...', '... a', 'a\n---\nb', '%YAML 1.2', '%', '@a', '`a', '!a', '!!str a', '&a', '*a', '|', '|-', '>', '>+', '[', ']', '[a]', '{', '}', '{a: 1}', ',', 'a,b', 'a, b',
  "'", '"', "'a'", '"a"', 'it\'s', 'say "hi"', 'both \' and "', '\\', 'a\\nb', '\\"',
  '\0', '\x07', '\b', '\x0b', '\f', '\x1b', '\x7f', '\x80', '\x85', '\x9f', '\u00a0', '\u2028', '\u2029', 'a\u2028b', '\ufeff', '\ufeffa', '\ufffe', '\uffff',
  '\ud800', 'a\udc00', '\udbff\udfff', '😀', 'é', 'ü:x', '中文', 'ﬁ', 'a\u0300', '{{ $labels.team }}', 'rate(x[5m]) > 0.8', 'sum by (le) (rate(x_bucket[1h]))',
  'x'.repeat(1025),
];
