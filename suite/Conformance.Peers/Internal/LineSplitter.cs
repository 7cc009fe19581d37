using System.Text;

namespace Conformance.Peers.Internal;

/// <summary>
/// A write-only stream that decodes UTF-8 and hands out complete lines: the sink Testcontainers copies a
/// container's attached stdout/stderr into.
/// </summary>
internal sealed class LineSplitter : Stream
{
    private readonly Action<string> _onLine;
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _partial = new();
    private readonly Lock _gate = new();

    public LineSplitter(Action<string> onLine) => _onLine = onLine;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            var chars = new char[_decoder.GetCharCount(buffer, flush: false)];
            _decoder.GetChars(buffer, chars, flush: false);
            foreach (var c in chars)
            {
                if (c == '\n')
                {
                    Emit();
                }
                else
                {
                    _partial.Append(c);
                }
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Hands out a last line that had no line break.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_partial.Length > 0)
            {
                Emit();
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Emit()
    {
        if (_partial.Length > 0 && _partial[^1] == '\r')
        {
            _partial.Length--;
        }

        var line = _partial.ToString();
        _partial.Clear();
        _onLine(line);
    }
}
