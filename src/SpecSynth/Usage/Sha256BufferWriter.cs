using System.Buffers;
using System.Security.Cryptography;

namespace SpecSynth.Usage;

/// <summary>
/// A buffer writer that feeds everything written to it into a SHA-256 and keeps none of it: the hash of a document of any
/// length through one rented buffer (which grows only to the largest single request made of it); reusable after
/// <see cref="HexDigest"/> or <see cref="Discard"/>. Not thread-safe.
/// </summary>
internal sealed class Sha256BufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length);
        _hash.AppendData(_buffer, 0, count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint);

    /// <summary>The lower-case hex SHA-256 of everything written so far; the writer then starts a new hash (reusable).</summary>
    public string HexDigest() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Drops what was written so far (a new hash starts), e.g. after a failed write.</summary>
    public void Discard() => _hash.GetHashAndReset();

    private byte[] Reserve(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
        }
        return _buffer;
    }

    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
