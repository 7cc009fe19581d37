using Xunit;
namespace XmlRpc.Tests.Http;

/// <summary>Where the repository is, and how long a test may wait.</summary>
internal static class TestEnvironment
{
    /// <summary>The bound on one await in a test.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<string> Root = new(() => Conformance.Catalog.FixturesLocator.RootOf(Conformance.Catalog.FixturesLocator.Find()));

    /// <summary>The repository root (the folder holding <c>fixtures/case.schema.json</c>).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The <c>fixtures/</c> folder.</summary>
    public static string FixturesDirectory => Path.Combine(RepositoryRoot, "fixtures");

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Timeout, TestContext.Current.CancellationToken);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task Bounded(this Task task) => task.WaitAsync(Timeout, TestContext.Current.CancellationToken);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task<T> Bounded<T>(this ValueTask<T> task) => task.AsTask().Bounded();

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task Bounded(this ValueTask task) => task.AsTask().Bounded();
}
