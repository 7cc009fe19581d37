namespace Conformance.Peers.Internal;

/// <summary>The last lines a peer wrote to stderr, for error messages.</summary>
internal sealed class TextTail(int capacity = 40)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines);
        }
    }

    /// <summary>": stderr tail" or empty, for appending to a message.</summary>
    public string AsSuffix()
    {
        var text = ToString().Trim();
        return text.Length == 0 ? "" : "; stderr: " + text;
    }
}
