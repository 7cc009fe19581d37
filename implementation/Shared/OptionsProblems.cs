using System.Globalization;
using Microsoft.Extensions.Options;

namespace XmlRpc.Internal;

/// <summary>Collects what is wrong with an options object into one exception (compiled into the client and the server).</summary>
internal static class OptionsProblems
{
    public static void ThrowIfAny(string optionsName, IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "Invalid {0}: {1}", optionsName, string.Join(" ", list)),
                optionsName);
        }
    }

    public static IEnumerable<string> Timeout(string name, TimeSpan value, bool allowZero)
    {
        if (value != System.Threading.Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero)))
        {
            yield return string.Format(
                CultureInfo.InvariantCulture,
                "{0} must be {1} or Timeout.InfiniteTimeSpan (is {2}).",
                name,
                allowZero ? "at least zero" : "positive",
                value);
        }
    }
}

/// <summary>Checks options when the host starts (<c>ValidateOnStart</c>), not at the first call.</summary>
internal sealed class ProblemsValidator<TOptions>(Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var list = problems(options).ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
