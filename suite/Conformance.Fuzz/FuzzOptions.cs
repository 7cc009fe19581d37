using System.Globalization;

namespace Conformance.Fuzz;

/// <summary>The command line.</summary>
internal sealed record FuzzOptions
{
    /// <summary>The short run's size (what CI runs).</summary>
    public const int ShortCount = 10_000;

    /// <summary>The long run's size (<c>--long</c>).</summary>
    public const int LongCount = 250_000;

    public int Seed { get; init; } = 1;

    public int Start { get; init; }

    public int Count { get; init; } = ShortCount;

    public int Batch { get; init; } = 250;

    public string Python { get; init; } = "python3";

    public string? Fixtures { get; init; }

    public string Artifacts { get; init; } = Path.Combine("artifacts", "fuzz");

    public int ExamplesPerGroup { get; init; } = 2;

    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(20);

    public bool Verbose { get; init; }

    /// <summary>The golden tree's documents only, both answers over HTTP from real servers (<see cref="HttpAnswers"/>).</summary>
    public bool Http { get; init; }

    private const string Usage = """
        dotnet run -c Release --project suite/Conformance.Fuzz -- [options]

          --seed N         the generator's seed (default 1); document i of seed N is always the same bytes
          --count N        documents to run (default 10000, the CI run)
          --long           250000 documents (and a 2-hour time limit)
          --start N        first document index (default 0); with --count 1, reproduces one document
          --python PATH    the CPython to compare with (default python3; any 2.7 or 3.6+)
          --fixtures DIR   the fixtures/ folder (default: found like the catalog loader finds it)
          --artifacts DIR  where minimised failing documents go (default artifacts/fuzz)
          --examples N     examples kept and minimised per kind of unexplained difference (default 2)
          --time-limit S   stop after S seconds (default 1200; the run then fails)
          --verbose        a progress line per batch and a line per unexplained document
          --http           the golden tree's documents only (every invalid.* and dialect.* case), each POSTed to
                           CPython's stock server (python-peers/server.py) and to ours on loopback: the status,
                           the content type and the body bytes are compared

        Exit 0: every difference is identical or explained by a catalog deviation; 1: an unexplained one; 2: usage.
        """;

    public static FuzzOptions? Parse(string[] args)
    {
        var options = new FuzzOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            try
            {
                options = args[i] switch
                {
                    "--seed" => options with { Seed = NextInt() },
                    "--count" => options with { Count = NextInt() },
                    "--long" => options with { Count = LongCount, TimeLimit = TimeSpan.FromHours(2) },
                    "--start" => options with { Start = NextInt() },
                    "--python" => options with { Python = Next() },
                    "--fixtures" => options with { Fixtures = Next() },
                    "--artifacts" => options with { Artifacts = Next() },
                    "--examples" => options with { ExamplesPerGroup = NextInt() },
                    "--time-limit" => options with { TimeLimit = TimeSpan.FromSeconds(NextInt()) },
                    "--verbose" => options with { Verbose = true },
                    "--http" => options with { Http = true },
                    "-h" or "--help" => null,
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine(e.Message);
                options = null;
            }

            if (options is null)
            {
                Console.Error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }
}
