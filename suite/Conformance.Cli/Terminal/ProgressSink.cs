using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;

namespace Conformance.Cli.Terminal;

/// <summary>Where the run reports progress: a live Spectre.Console display, or plain lines.</summary>
public interface IProgressSink
{
    /// <summary>Starts a named step with <paramref name="total"/> units (0: unknown size).</summary>
    IProgressStep Begin(string name, int total);

    /// <summary>A line worth showing now (a peer started, a peer failed).</summary>
    void Info(string message);
}

/// <summary>One step of the run.</summary>
public interface IProgressStep
{
    /// <summary>Adds <paramref name="units"/> done.</summary>
    void Advance(int units = 1);

    /// <summary>Sets the size once known.</summary>
    void SetTotal(int total);

    /// <summary>Marks the step finished with a short result text.</summary>
    void Done(string? result = null);

    /// <summary>Marks the step failed, with the reason.</summary>
    void Fail(string reason);
}

/// <summary>Plain progress: one line per step start and end (CI logs, redirected output, tests).</summary>
public sealed class PlainProgressSink(TextWriter writer) : IProgressSink
{
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    public IProgressStep Begin(string name, int total)
    {
        Write($"… {name}");
        return new PlainStep(this, name, total);
    }

    /// <inheritdoc/>
    public void Info(string message) => Write("  " + message);

    private void Write(string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private sealed class PlainStep(PlainProgressSink owner, string name, int total) : IProgressStep
    {
        private int _done;
        private int _total = total;
        private int _finished;
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();

        public void Advance(int units = 1) => Interlocked.Add(ref _done, units);

        public void SetTotal(int total) => _total = total;

        public void Done(string? result = null) => Finish("✓", result);

        public void Fail(string reason) => Finish("✗", reason);

        private void Finish(string mark, string? result)
        {
            if (Interlocked.Exchange(ref _finished, 1) == 1)
            {
                return;
            }

            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds;
            var count = _total > 0 ? string.Create(CultureInfo.InvariantCulture, $" {_done}/{_total}") : "";
            owner.Write(string.Create(CultureInfo.InvariantCulture, $"{mark} {name}{count} ({seconds:0.0} s){(result is null ? "" : ": " + result)}"));
        }
    }
}

/// <summary>A live Spectre.Console progress display; <see cref="RunAsync"/> owns the display while the work runs.</summary>
public sealed class SpectreProgressSink : IProgressSink
{
    private readonly IAnsiConsole _console;
    private readonly ConcurrentQueue<string> _messages = new();
    private ProgressContext? _context;

    /// <summary>Creates the sink on <paramref name="console"/>.</summary>
    public SpectreProgressSink(IAnsiConsole console) => _console = console;

    /// <summary>Runs <paramref name="work"/> under the live display.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work) =>
        _console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                _context = ctx;
                try
                {
                    return await work().ConfigureAwait(false);
                }
                finally
                {
                    _context = null;
                }
            });

    /// <summary>Lines written by <see cref="Info"/> while the display was live; shown after it.</summary>
    public IEnumerable<string> DrainMessages()
    {
        while (_messages.TryDequeue(out var m))
        {
            yield return m;
        }
    }

    /// <inheritdoc/>
    public IProgressStep Begin(string name, int total)
    {
        var ctx = _context ?? throw new InvalidOperationException("Begin() outside RunAsync");
        var task = ctx.AddTask(Markup.Escape(name), autoStart: true, maxValue: Math.Max(total, 1));
        task.IsIndeterminate = total == 0;
        return new SpectreStep(task, name);
    }

    /// <inheritdoc/>
    public void Info(string message) => _messages.Enqueue(message);

    private sealed class SpectreStep(ProgressTask task, string name) : IProgressStep
    {
        public void Advance(int units = 1) => task.Increment(units);

        public void SetTotal(int total)
        {
            task.MaxValue = Math.Max(total, 1);
            task.IsIndeterminate = false;
        }

        public void Done(string? result = null)
        {
            if (result is not null)
            {
                task.Description = Markup.Escape(name + ": " + result);
            }

            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }

        public void Fail(string reason)
        {
            task.Description = "[red]" + Markup.Escape(name + ": " + reason) + "[/]";
            task.IsIndeterminate = false;
            task.StopTask();
        }
    }
}
