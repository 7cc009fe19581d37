using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Conformance.Tests.Peers;

/// <summary>The three live cells of the matrix.</summary>
public enum InteropDirection
{
    /// <summary>C# client → Python server (<c>live.cs-to-py</c>).</summary>
    CSharpClientToPythonServer,

    /// <summary>Python client → C# server (<c>live.py-to-cs</c>).</summary>
    PythonClientToCSharpServer,

    /// <summary>C# client → C# server, the baseline (<c>live.cs-to-cs</c>).</summary>
    CSharpClientToCSharpServer,
}

/// <summary>Time spent per direction: rows, their summed duration, and the wall-clock window they spanned.</summary>
public sealed class DirectionTimings
{
    private readonly ConcurrentDictionary<(InteropDirection, string), Entry> _entries = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Measures one row until disposed.</summary>
    public IDisposable Measure(InteropDirection direction, string what = "rows")
    {
        var start = _clock.Elapsed;
        return new Scope(() => Record(direction, what, start, _clock.Elapsed));
    }

    /// <summary>Adds a measured span that ended now.</summary>
    public void Add(InteropDirection direction, TimeSpan duration, string what)
    {
        var end = _clock.Elapsed;
        Record(direction, what, end - duration, end);
    }

    /// <summary>One line per direction and kind.</summary>
    public IEnumerable<string> Describe() =>
        _entries.OrderBy(e => e.Key.Item1).ThenBy(e => e.Key.Item2, StringComparer.Ordinal).Select(e =>
            string.Create(CultureInfo.InvariantCulture,
                $"timing {Cell(e.Key.Item1)} {e.Key.Item2}: {e.Value.Count}, busy {e.Value.Busy.TotalSeconds:0.00} s, window {(e.Value.Last - e.Value.First).TotalSeconds:0.00} s"));

    /// <summary>The catalog's name of a direction's cell.</summary>
    public static string Cell(InteropDirection direction) => direction switch
    {
        InteropDirection.CSharpClientToPythonServer => "live.cs-to-py",
        InteropDirection.PythonClientToCSharpServer => "live.py-to-cs",
        _ => "live.cs-to-cs",
    };

    private void Record(InteropDirection direction, string what, TimeSpan start, TimeSpan end)
    {
        var entry = _entries.GetOrAdd((direction, what), _ => new Entry());
        lock (entry)
        {
            entry.Count++;
            entry.Busy += end - start;
            entry.First = entry.Count == 1 || start < entry.First ? start : entry.First;
            entry.Last = end > entry.Last ? end : entry.Last;
        }
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public TimeSpan Busy { get; set; }

        public TimeSpan First { get; set; }

        public TimeSpan Last { get; set; }
    }

    private sealed class Scope(Action done) : IDisposable
    {
        private Action? _done = done;

        public void Dispose() => Interlocked.Exchange(ref _done, null)?.Invoke();
    }
}
