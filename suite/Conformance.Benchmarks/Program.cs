using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using XmlRpc;
using XmlRpc.Protocol;

namespace Conformance.Benchmarks;

/// <summary>
/// Codec benchmarks. <c>--quick</c> measures with a stopwatch and prints one JSON line (what compare.sh reads);
/// anything else goes to BenchmarkDotNet (e.g. <c>--filter *</c>, add <c>--job short</c> for a short run).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            Quick.Run(args.Contains("--verify-payload") ? args[Array.IndexOf(args, "--verify-payload") + 1] : null);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

/// <summary>The payloads: what CPython's <c>dumps</c> writes for them is byte-identical to ours (compare.sh checks the hash).</summary>
public static class Payloads
{
    /// <summary>A methodResponse with an array of 1000 structs × 7 members (int, string with <c>&lt;&amp;&gt;</c>, double, boolean, dateTime, array of 3 strings, 32-byte base64).</summary>
    public static XmlRpcResponse Large()
    {
        var blob = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var created = new DateTime(2024, 1, 2, 3, 4, 5);
        var items = new XmlRpcValue[1000];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = XmlRpcValue.Struct(
                ("id", i),
                ("name", $"item <{i.ToString(CultureInfo.InvariantCulture)}> & co"),
                ("price", (i * 1.25) + 0.1),
                ("active", i % 2 == 0),
                ("created", created),
                ("tags", XmlRpcValue.Array("alpha", "beta", "gamma")),
                ("blob", blob));
        }

        return XmlRpcResponse.Success(XmlRpcValue.Array(items));
    }

    /// <summary>A tiny call: <c>add(2, 3)</c>.</summary>
    public static XmlRpcRequest Tiny() => XmlRpcRequest.Create("add", 2, 3);
}

/// <summary>BenchmarkDotNet benchmarks (allocations included).</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly XmlRpcResponse _large = Payloads.Large();
    private readonly XmlRpcRequest _tiny = Payloads.Tiny();
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private byte[] _largeBytes = [];
    private byte[] _tinyBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _largeBytes = XmlRpcFormatter.Default.FormatResponse(_large);
        _tinyBytes = XmlRpcFormatter.Default.FormatRequest(_tiny);
    }

    [Benchmark]
    public XmlRpcResponse ParseLarge() => XmlRpcParser.Default.ParseResponse(_largeBytes);

    [Benchmark]
    public int XmlReaderReadThroughLarge() => Quick.ReadThrough(_largeBytes);

    [Benchmark]
    public int WriteLarge()
    {
        _buffer.ResetWrittenCount();
        XmlRpcFormatter.Default.WriteResponse(_buffer, _large);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public XmlRpcRequest ParseTiny() => XmlRpcParser.Default.ParseRequest(_tinyBytes);

    [Benchmark]
    public int WriteTiny()
    {
        _buffer.ResetWrittenCount();
        XmlRpcFormatter.Default.WriteRequest(_buffer, _tiny);
        return _buffer.WrittenCount;
    }
}

/// <summary>Stopwatch measurements for compare.sh: best mean over several rounds, after warm-up.</summary>
public static class Quick
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CheckCharacters = true,
    };

    public static int ReadThrough(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), ReaderSettings);
        var n = 0;
        while (reader.Read())
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                n += reader.Value.Length;
            }
        }

        return n;
    }

    public static void Run(string? verifyPayloadSha256)
    {
        var large = Payloads.Large();
        var tiny = Payloads.Tiny();
        var largeBytes = XmlRpcFormatter.Default.FormatResponse(large);
        var tinyBytes = XmlRpcFormatter.Default.FormatRequest(tiny);
        var sha = Convert.ToHexStringLower(SHA256.HashData(largeBytes));
        if (verifyPayloadSha256 is not null && !string.Equals(verifyPayloadSha256, sha, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Our payload bytes (sha256 {sha}) differ from CPython's ({verifyPayloadSha256}).");
        }

        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var parseLarge = Measure(() => XmlRpcParser.Default.ParseResponse(largeBytes));
        var readerLarge = Measure(() => ReadThrough(largeBytes));
        var writeLarge = Measure(() =>
        {
            buffer.ResetWrittenCount();
            XmlRpcFormatter.Default.WriteResponse(buffer, large);
        });
        var parseTiny = Measure(() => XmlRpcParser.Default.ParseRequest(tinyBytes));
        var writeTiny = Measure(() =>
        {
            buffer.ResetWrittenCount();
            XmlRpcFormatter.Default.WriteRequest(buffer, tiny);
        });

        XmlRpcParser.Default.ParseResponse(largeBytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        XmlRpcParser.Default.ParseResponse(largeBytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["payload_bytes"] = largeBytes.Length,
            ["payload_sha256"] = sha,
            ["parse_large_s"] = parseLarge.Min,
            ["xmlreader_large_s"] = readerLarge.Min,
            ["write_large_s"] = writeLarge.Min,
            ["parse_tiny_s"] = parseTiny.Min,
            ["write_tiny_s"] = writeTiny.Min,
            ["parse_large_median_s"] = parseLarge.Median,
            ["xmlreader_large_median_s"] = readerLarge.Median,
            ["write_large_median_s"] = writeLarge.Median,
            ["parse_large_allocated_bytes"] = allocated,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        }));
    }

    /// <summary>
    /// Seconds per call as (min, median) over ~5 ms samples collected for ~2.5 s after a warm-up: the same statistic
    /// compare.sh computes for CPython (the minimum is what <c>timeit</c> recommends; the median shows the noise).
    /// </summary>
    private static (double Min, double Median) Measure(Action action)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (watch.ElapsedMilliseconds < 300 || calls < 3)
        {
            action();
            calls++;
        }

        var perSample = Math.Max(1, (int)(calls * 5.0 / watch.Elapsed.TotalMilliseconds));
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.ElapsedMilliseconds < 2500 || samples.Count < 5)
        {
            watch.Restart();
            for (var i = 0; i < perSample; i++)
            {
                action();
            }

            samples.Add(watch.Elapsed.TotalSeconds / perSample);
        }

        samples.Sort();
        return (samples[0], samples[samples.Count / 2]);
    }
}
