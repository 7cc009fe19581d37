using System.Globalization;
using System.Text;

namespace Conformance.Cli.Diffing;

/// <summary>
/// A unified diff (<c>diff -u</c> format) of two texts, line by line. Line ends are shown exactly:
/// a line that differs only by <c>\r</c> shows it as <c>\r</c>, so a wire difference is never invisible.
/// </summary>
/// <remarks>
/// Self-contained on purpose (no package), so it can move to Conformance.Catalog and serve the
/// Wire tests and the report alike.
/// </remarks>
public static class UnifiedDiff
{
    private const long MaxTableCells = 8_000_000;

    /// <summary>
    /// The diff of <paramref name="expected"/> → <paramref name="actual"/>, or an empty string when
    /// they are equal.
    /// </summary>
    public static string Create(string expected, string actual, string expectedName = "expected", string actualName = "actual", int context = 3)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return "";
        }

        var a = SplitLines(expected);
        var b = SplitLines(actual);
        var ops = Diff(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(expectedName).Append('\n').Append("+++ ").Append(actualName).Append('\n');

        // Group edits into hunks with `context` unchanged lines around them.
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - context);
            var end = i;
            var lastChange = i;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    lastChange = end;
                }
                else if (end - lastChange > 2 * context)
                {
                    break;
                }

                end++;
            }

            end = Math.Min(ops.Count, lastChange + context + 1);
            var hunk = ops.GetRange(start, end - start);
            var aCount = hunk.Count(o => o.Kind != '+');
            var bCount = hunk.Count(o => o.Kind != '-');
            var aStart = aCount == 0 ? hunk[0].A : hunk.First(o => o.Kind != '+').A + 1;
            var bStart = bCount == 0 ? hunk[0].B : hunk.First(o => o.Kind != '-').B + 1;
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"@@ -{Range(aStart, aCount)} +{Range(bStart, bCount)} @@\n"));
            foreach (var op in hunk)
            {
                sb.Append(op.Kind).Append(Show(op.Kind == '+' ? b[op.B] : a[op.A])).Append('\n');
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    private static string Show(string line)
    {
        // Lines are split on \n; a trailing \r (or any other control character) is made visible.
        var sb = new StringBuilder(line.Length);
        foreach (var ch in line)
        {
            if (ch == '\r')
            {
                sb.Append("\\r");
            }
            else if (ch < 0x20 && ch != '\t')
            {
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}"));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 1 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        else if (text.Length > 0)
        {
            lines[^1] += "\\ no newline at end";
        }

        return lines;
    }

    private readonly record struct Op(char Kind, int A, int B);

    private static List<Op> Diff(List<string> a, List<string> b)
    {
        // Common prefix and suffix first: wire documents usually differ in a few lines.
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix] == b[b.Count - 1 - suffix])
        {
            suffix++;
        }

        var ops = new List<Op>();
        for (var k = 0; k < prefix; k++)
        {
            ops.Add(new Op(' ', k, k));
        }

        int n = a.Count - prefix - suffix, m = b.Count - prefix - suffix;
        if ((long)n * m > MaxTableCells)
        {
            for (var k = 0; k < n; k++)
            {
                ops.Add(new Op('-', prefix + k, prefix));
            }

            for (var k = 0; k < m; k++)
            {
                ops.Add(new Op('+', prefix + n, prefix + k));
            }
        }
        else
        {
            // Longest common subsequence table over the middle part.
            var lcs = new int[n + 1, m + 1];
            for (var x = n - 1; x >= 0; x--)
            {
                for (var y = m - 1; y >= 0; y--)
                {
                    lcs[x, y] = a[prefix + x] == b[prefix + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
                }
            }

            int i = 0, j = 0;
            while (i < n || j < m)
            {
                if (i < n && j < m && a[prefix + i] == b[prefix + j])
                {
                    ops.Add(new Op(' ', prefix + i++, prefix + j++));
                }
                else if (i < n && (j == m || lcs[i + 1, j] >= lcs[i, j + 1]))
                {
                    ops.Add(new Op('-', prefix + i++, prefix + j));
                }
                else
                {
                    ops.Add(new Op('+', prefix + i, prefix + j++));
                }
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            ops.Add(new Op(' ', a.Count - suffix + k, b.Count - suffix + k));
        }

        return ops;
    }
}
