namespace Conformance.Peers;

/// <summary>A peer could not start or ended badly; the message carries the tail of its stderr.</summary>
public sealed class PeerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PeerException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PeerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PeerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
