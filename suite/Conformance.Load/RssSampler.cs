using System.Globalization;

namespace Conformance.Load;

/// <summary>
/// Samples a process's memory from <c>/proc/PID/status</c> every ~100 ms on a background task:
/// the highest VmRSS seen, and VmHWM (the kernel's own peak, which catches spikes between samples).
/// When RSS passes the guard it calls <c>onGuardTripped</c> once (the harness kills the server so
/// a runaway server cannot take the machine down).
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly int _pid;
    private readonly long _guardKb;
    private readonly Action _onGuardTripped;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakSampledKb;
    private long _lastKb;
    private long _hwmKb;

    public RssSampler(int pid, long guardKb, Action onGuardTripped)
    {
        _pid = pid;
        _guardKb = guardKb;
        _onGuardTripped = onGuardTripped;
        _loop = Task.Run(LoopAsync);
    }

    public bool GuardTripped { get; private set; }

    /// <summary>Max of the sampled VmRSS and the last VmHWM read, in KiB.</summary>
    public long PeakKb => Math.Max(Interlocked.Read(ref _peakSampledKb), Interlocked.Read(ref _hwmKb));

    public long LastKb => Interlocked.Read(ref _lastKb);

    /// <summary>VmRSS and VmHWM now, in KiB; null when the process is gone.</summary>
    public static (long RssKb, long HwmKb)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        long rss = -1, hwm = -1;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = ParseKb(line);
            }
        }

        return rss < 0 ? null : (rss, hwm);
    }

    /// <summary>Takes one sample now (the settled figure) and returns VmRSS in KiB, or null.</summary>
    public long? SampleNow()
    {
        var now = Read(_pid);
        if (now is { } v)
        {
            Record(v.RssKb, v.HwmKb);
            return v.RssKb;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static long ParseKb(string line)
    {
        // "VmRSS:	  123456 kB"
        var digits = line.AsSpan(6).Trim();
        var space = digits.IndexOf(' ');
        return long.Parse(space < 0 ? digits : digits[..space], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (SampleNow() is null)
            {
                return;
            }

            if (!GuardTripped && LastKb > _guardKb)
            {
                GuardTripped = true;
                _onGuardTripped();
            }

            await Task.Delay(Interval, _stop.Token);
        }
    }

    private void Record(long rssKb, long hwmKb)
    {
        Interlocked.Exchange(ref _lastKb, rssKb);
        if (rssKb > Interlocked.Read(ref _peakSampledKb))
        {
            Interlocked.Exchange(ref _peakSampledKb, rssKb);
        }

        if (hwmKb > Interlocked.Read(ref _hwmKb))
        {
            Interlocked.Exchange(ref _hwmKb, hwmKb);
        }
    }
}
