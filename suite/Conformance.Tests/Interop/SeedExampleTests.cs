using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Conformance.Catalog;
using Conformance.Peers;
using Conformance.Tests.Peers;
using Xunit;

namespace Conformance.Tests.Interop.SeedExamples;

/// <summary>
/// The examples of CPython's xmlrpc documentation, written as the tutorial writes them: <c>today()</c>
/// returns a DateTime, <c>python_logo()</c> the bytes of fixtures/seed/python-logo.png, and a MultiCall
/// prints <c>7+3=10, 7-3=4, 7*3=21, 7//3=2</c>. The C# client does it the C# way (typed calls, the
/// multicall builder); the Python way is the tutorial's own code (Interop/python/tutorial.py, run once
/// per interpreter against the C# server).
/// </summary>
public abstract class SeedExampleTests(PeerFixture peers, ITestOutputHelper output) : InteropTests(peers, output)
{
    private const string Arithmetic = "7+3=10, 7-3=4, 7*3=21, 7//3=2";

    [Theory, InteropPeers]
    public async Task TodayReturnsADateTime(string peer)
    {
        if (Direction == InteropDirection.PythonClientToCSharpServer)
        {
            var line = await TutorialLineAsync(peer, "today");
            Assert.Equal("DateTime", line.GetString("type"));
            var value = DateTime.ParseExact(line.GetString("value")!, "yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            Assert.Equal("Today: " + value.ToString("dd.MM.yyyy, HH:mm", CultureInfo.InvariantCulture), line.GetString("printed"));
            AssertRecent(value);
            return;
        }

        var (url, _) = await ServerAsync(peer);
        var today = await Peers.Client(url).InvokeAsync<DateTime>("today", [], Cancellation).WaitAsync(Timeout, Cancellation);
        Output.WriteLine("Today: " + today.ToString("dd.MM.yyyy, HH:mm", CultureInfo.InvariantCulture));
        AssertRecent(today);
    }

    [Theory, InteropPeers]
    public async Task PythonLogoIsTheSeedImage(string peer)
    {
        var expected = await File.ReadAllBytesAsync(Path.Combine(Peers.Settings.FixturesDirectory, "seed", "python-logo.png"), Cancellation);
        if (Direction == InteropDirection.PythonClientToCSharpServer)
        {
            var line = await TutorialLineAsync(peer, "python_logo");
            Assert.Equal("Binary", line.GetString("type"));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), line.GetString("sha256"));
            return;
        }

        var (url, _) = await ServerAsync(peer);
        var logo = await Peers.Client(url).InvokeAsync<byte[]>("python_logo", [], Cancellation).WaitAsync(Timeout, Cancellation);
        Assert.Equal(expected, logo);
    }

    [Theory, InteropPeers]
    public async Task MultiCallDoesTheArithmetic(string peer)
    {
        if (Direction == InteropDirection.PythonClientToCSharpServer)
        {
            var line = await TutorialLineAsync(peer, "multicall");
            Assert.Equal(Arithmetic, line.GetString("printed"));
            return;
        }

        var (url, _) = await ServerAsync(peer);
        var multicall = Peers.Client(url).CreateMultiCall();
        multicall.Add("add", 7, 3);
        multicall.Add("subtract", 7, 3);
        multicall.Add("multiply", 7, 3);
        multicall.Add("divide", 7, 3);
        var result = await multicall.InvokeAsync(Cancellation).WaitAsync(Timeout, Cancellation);
        var printed = string.Create(CultureInfo.InvariantCulture,
            $"7+3={result.GetValue<int>(0)}, 7-3={result.GetValue<int>(1)}, 7*3={result.GetValue<int>(2)}, 7//3={result.GetValue<int>(3)}");
        Output.WriteLine(printed);
        Assert.Equal(Arithmetic, printed);
    }

    private async Task<PeerLine> TutorialLineAsync(string peer, string example)
    {
        var script = TutorialScript();
        var lines = await Peers.ScriptRunAsync(RequirePeer(peer), script, Cancellation).WaitAsync(Timeout, Cancellation);
        foreach (var l in lines)
        {
            Output.WriteLine(l.Text);
        }

        var line = lines.FirstOrDefault(l => l.GetString("example") == example);
        Assert.True(line is not null, $"tutorial.py printed no line for {example}");
        Assert.True(line.GetString("error") is null, $"the tutorial's {example} example failed: {line.GetString("error")}");
        return line;
    }

    // Beside this source file; when the build mapped source paths away, found from the repository root.
    private static string TutorialScript([CallerFilePath] string source = "")
    {
        var beside = Path.Combine(Path.GetDirectoryName(source) ?? "", "python", "tutorial.py");
        return File.Exists(beside) ? beside : Path.Combine(FixturesLocator.RootOf(FixturesLocator.Find()), "suite", "Conformance.Tests", "Interop", "python", "tutorial.py");
    }

    // today() is the server's local time: any time zone, but today.
    private static void AssertRecent(DateTime value) =>
        Assert.InRange(value, DateTime.UtcNow.AddDays(-1.1), DateTime.UtcNow.AddDays(1.1));
}

/// <summary>C# client → CPython <c>server.py</c>.</summary>
public sealed class CSharpClientToPythonServer(PeerFixture peers, ITestOutputHelper output) : SeedExampleTests(peers, output);

/// <summary>The tutorial's Python client → C# server.</summary>
public sealed class PythonClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : SeedExampleTests(peers, output);

/// <summary>C# client → C# server (baseline).</summary>
public sealed class CSharpClientToCSharpServer(PeerFixture peers, ITestOutputHelper output) : SeedExampleTests(peers, output);
