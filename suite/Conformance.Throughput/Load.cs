using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Conformance.Throughput;

/// <summary>What the <c>load</c> role is told: where, how many connections, how long, how many requests at most.</summary>
internal sealed record LoadSettings(int Port, int Connections, TimeSpan Warmup, TimeSpan Duration, long MaxRequests);

/// <summary>
/// The <c>load</c> role: a closed-loop HTTP/1.1 load generator on raw sockets, in a process of its own so it shares no GC
/// or thread pool with a server. Each of <see cref="LoadSettings.Connections"/> connections sends <c>add(7, 3)</c>, reads
/// the whole answer, checks it byte for byte and sends the next (no pipelining); it keeps the connection alive unless
/// the server closes it (CPython's HTTP/1.0 server closes after every answer: then it reconnects, as wrk does).
/// </summary>
/// <remarks>
/// The stdin/stdout protocol with the runner: after the warm-up every connection finishes its request in flight and
/// waits; the generator prints <c>{"phase":"warm"}</c> and reads a line (<c>go</c>); the measured phase then runs until
/// <see cref="LoadSettings.Duration"/> or <see cref="LoadSettings.MaxRequests"/> (whichever first), every connection
/// finishes its request in flight, and one JSON result line is printed. The server is idle on both sides of the measured
/// phase, so the runner's counter readings around it hold exactly the measured requests.
/// </remarks>
internal static class Load
{
    private static readonly TimeSpan GoTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadSettings settings)
    {
        var request = Wire.Request(settings.Port);
        var endpoint = new IPEndPoint(IPAddress.Loopback, settings.Port);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = new Shared(settings, go.Task);
        var workers = Enumerable.Range(0, settings.Connections).Select(_ => new Worker(endpoint, request, state)).ToArray();
        var running = workers.Select(w => Task.Run(w.RunAsync)).ToArray();

        await Task.WhenAll(workers.Select(w => w.Warm));
        Console.Out.WriteLine("{\"phase\":\"warm\"}");
        Console.Out.Flush();
        var line = await Task.Run(Console.In.ReadLine).WaitAsync(GoTimeout);
        if (line?.Trim() != "go")
        {
            state.Abandon();
            go.SetResult();
            await Task.WhenAll(running);
            return 2;
        }

        var watch = Stopwatch.StartNew();
        state.StartMeasuring();
        go.SetResult();
        await Task.WhenAll(running);
        var elapsed = watch.Elapsed;

        var latencies = workers.SelectMany(w => w.Latencies).Order().ToArray();
        var count = workers.Sum(w => w.Completed);
        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["requests"] = count,
            ["seconds"] = elapsed.TotalSeconds,
            ["requests_per_second"] = count / elapsed.TotalSeconds,
            ["p50_us"] = Percentile(latencies, 0.50),
            ["p99_us"] = Percentile(latencies, 0.99),
            ["errors"] = workers.Sum(w => w.Errors),
            ["connects"] = workers.Sum(w => w.Connects),
            ["first_error"] = workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null) ?? "",
        }));
        return 0;
    }

    private static double Percentile(long[] sortedTicks, double p) =>
        sortedTicks.Length == 0 ? 0 : sortedTicks[Math.Min(sortedTicks.Length - 1, (int)(p * sortedTicks.Length))] * 1e6 / Stopwatch.Frequency;

    /// <summary>The phase every connection follows.</summary>
    private sealed class Shared(LoadSettings settings, Task go)
    {
        private readonly long _warmEnd = Stopwatch.GetTimestamp() + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        private long _measureEnd = long.MaxValue;
        private long _issued;
        private volatile bool _abandoned;

        public Task Go { get; } = go;

        public bool WarmingUp => Stopwatch.GetTimestamp() < _warmEnd;

        public void StartMeasuring() =>
            Volatile.Write(ref _measureEnd, Stopwatch.GetTimestamp() + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency));

        public void Abandon() => _abandoned = true;

        /// <summary>May this connection send one more measured request?</summary>
        public bool TakeOne() =>
            !_abandoned && Stopwatch.GetTimestamp() < Volatile.Read(ref _measureEnd) && Interlocked.Increment(ref _issued) <= settings.MaxRequests;
    }

    private sealed class Worker(IPEndPoint endpoint, byte[] request, Shared shared)
    {
        private readonly TaskCompletionSource _warm = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly byte[] _buffer = new byte[16 * 1024];
        private Socket? _socket;

        public Task Warm => _warm.Task;

        public List<long> Latencies { get; } = new(1 << 16);

        public long Completed { get; private set; }

        public long Errors { get; private set; }

        public long Connects { get; private set; }

        public string? FirstError { get; private set; }

        public async Task RunAsync()
        {
            try
            {
                while (shared.WarmingUp)
                {
                    await ExchangeAsync();
                }
            }
            finally
            {
                _warm.TrySetResult();
            }

            await shared.Go;
            Completed = 0;
            Errors = 0;
            Connects = 0;
            FirstError = null;
            while (shared.TakeOne())
            {
                var start = Stopwatch.GetTimestamp();
                if (await ExchangeAsync())
                {
                    Latencies.Add(Stopwatch.GetTimestamp() - start);
                    Completed++;
                }
            }

            _socket?.Dispose();
        }

        /// <summary>One request and its whole answer; false (and a fresh connection next time) on any failure.</summary>
        private async Task<bool> ExchangeAsync()
        {
            try
            {
                if (_socket is null)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await socket.ConnectAsync(endpoint, connectTimeout.Token);
                    _socket = socket;
                    Connects++;
                }

                await _socket.SendAsync(request, SocketFlags.None);
                var answer = await ReadAnswerAsync(_socket);
                if (answer.Close)
                {
                    _socket.Dispose();
                    _socket = null;
                }

                if (!answer.Ok)
                {
                    Fail(answer.Problem);
                }

                return answer.Ok;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                Fail(e.GetType().Name + ": " + e.Message);
                _socket?.Dispose();
                _socket = null;
                return false;
            }
        }

        private void Fail(string problem)
        {
            Errors++;
            FirstError ??= problem;
        }

        private async Task<Answer> ReadAnswerAsync(Socket socket)
        {
            var filled = 0;
            var headEnd = -1;
            while (headEnd < 0)
            {
                if (filled == _buffer.Length)
                {
                    return new Answer(false, true, "response head over 16 KiB");
                }

                var read = await socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None);
                if (read == 0)
                {
                    return new Answer(false, true, "closed before the response head");
                }

                filled += read;
                headEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            }

            var (status, length, close) = ParseHead(_buffer.AsSpan(0, headEnd));
            if (length < 0)
            {
                return new Answer(false, true, "no Content-Length: " + StatusLine());
            }

            var bodyStart = headEnd + 4;
            var total = bodyStart + length;
            if (total > _buffer.Length)
            {
                return new Answer(false, true, "response over 16 KiB: " + StatusLine());
            }

            while (filled < total)
            {
                var read = await socket.ReceiveAsync(_buffer.AsMemory(filled, total - filled), SocketFlags.None);
                if (read == 0)
                {
                    return new Answer(false, true, "closed inside the body");
                }

                filled += read;
            }

            if (filled > total)
            {
                return new Answer(false, true, "bytes after the response (nothing was pipelined)");
            }

            if (status != 200)
            {
                return new Answer(false, close, StatusLine());
            }

            return _buffer.AsSpan(bodyStart, length).SequenceEqual(Wire.ResponseBody)
                ? new Answer(true, close, "")
                : new Answer(false, close, "unexpected body: " + System.Text.Encoding.UTF8.GetString(_buffer, bodyStart, Math.Min(length, 200)));
        }

        /// <summary>Status, Content-Length (-1: none) and whether the server closes, without allocating (this process shares the cores).</summary>
        private static (int Status, int Length, bool Close) ParseHead(ReadOnlySpan<byte> head)
        {
            var http10 = head.StartsWith("HTTP/1.0 "u8);
            var status = head.Length >= 12 && System.Buffers.Text.Utf8Parser.TryParse(head.Slice(9, 3), out int code, out _) ? code : 0;
            var close = http10;
            var length = -1;
            var rest = head[(head.IndexOf("\r\n"u8) is var first and >= 0 ? first + 2 : head.Length)..];
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf("\r\n"u8);
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? default : rest[(end + 2)..];
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    continue;
                }

                var name = line[..colon];
                name = name[System.Text.Ascii.Trim(name)];
                var value = line[(colon + 1)..];
                value = value[System.Text.Ascii.Trim(value)];
                if (System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    length = System.Buffers.Text.Utf8Parser.TryParse(value, out int parsed, out var used) && used == value.Length ? parsed : -1;
                }
                else if (System.Text.Ascii.EqualsIgnoreCase(name, "Connection"u8))
                {
                    close = System.Text.Ascii.EqualsIgnoreCase(value, "close"u8) || (http10 && !System.Text.Ascii.EqualsIgnoreCase(value, "keep-alive"u8));
                }
            }

            return (status, length, close);
        }

        private string StatusLine()
        {
            var end = _buffer.AsSpan().IndexOf("\r\n"u8);
            return System.Text.Encoding.ASCII.GetString(_buffer, 0, end < 0 ? Math.Min(80, _buffer.Length) : end);
        }

        private readonly record struct Answer(bool Ok, bool Close, string Problem);
    }
}
