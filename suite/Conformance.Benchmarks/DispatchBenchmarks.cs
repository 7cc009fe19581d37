using System.Diagnostics.CodeAnalysis;
using System.Text;
using BenchmarkDotNet.Attributes;
using XmlRpc;
using XmlRpc.Server;

namespace Conformance.Benchmarks;

/// <summary>
/// The server's dispatch path in process, without HTTP: request bytes → parse → look up → bind → invoke → format →
/// response bytes, for <c>add(7, 3)</c> (the request suite/Conformance.Throughput sends over loopback).
/// </summary>
/// <remarks>
/// <c>ReflectionBound</c> registers <c>(int x, int y) =&gt; x + y</c> (the CLR binder), <c>RawHandler</c> an
/// <see cref="XmlRpcMethodHandler"/> over <see cref="XmlRpcValue"/>s (no binding): the difference is the binder's cost.
/// Run: <c>dotnet run -c Release --project suite/Conformance.Benchmarks -- --filter *Dispatch*</c>.
/// </remarks>
[MemoryDiagnoser]
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A JIT-compiled benchmark of the reflection binder.")]
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = "A JIT-compiled benchmark of the reflection binder.")]
public class DispatchBenchmarks
{
    private static readonly byte[] AddRequest = Encoding.ASCII.GetBytes(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>add</methodName>\n<params>\n<param>\n<value><int>7</int></value>\n</param>\n<param>\n<value><int>3</int></value>\n</param>\n</params>\n</methodCall>\n");

    private readonly XmlRpcDispatcher _reflectionBound = new(new XmlRpcMethodRegistry().Add("add", (int x, int y) => x + y));

    private readonly XmlRpcDispatcher _rawHandler = new(new XmlRpcMethodRegistry().Add(
        "add",
        (parameters, _) => ValueTask.FromResult<XmlRpcValue>(parameters[0].AsInt32() + parameters[1].AsInt32())));

    [Benchmark(Baseline = true)]
    public Task<byte[]> RawHandler() => _rawHandler.HandleRequestAsync(AddRequest, CancellationToken.None);

    [Benchmark]
    public Task<byte[]> ReflectionBound() => _reflectionBound.HandleRequestAsync(AddRequest, CancellationToken.None);
}
