using System.Text;
using System.Text.RegularExpressions;

namespace Conformance.Catalog;

/// <summary>Python's <c>fnmatch.fnmatchcase</c>: <c>*</c>, <c>?</c>, <c>[seq]</c>, <c>[!seq]</c>.</summary>
public static class Glob
{
    /// <summary>Does <paramref name="text"/> match <paramref name="pattern"/> (case-sensitive)?</summary>
    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2 < pattern.Length ? i + 2 : pattern.Length - 1);
                    if (end < 0)
                    {
                        sb.Append("\\[");
                        break;
                    }

                    var body = pattern[(i + 1)..end];
                    sb.Append('[');
                    if (body.StartsWith('!'))
                    {
                        sb.Append('^');
                        body = body[1..];
                    }

                    sb.Append(body.Replace("\\", "\\\\", StringComparison.Ordinal));
                    sb.Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        sb.Append('$');
        return Regex.IsMatch(text, sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
