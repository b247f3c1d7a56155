using System.Buffers;
using System.Security.Cryptography;

namespace SpecSynth.Usage;

/// <summary>
/// A buffer writer that feeds everything written to it into a SHA-256 and keeps none of it: the hash of a document of any
/// length through one rented buffer (which grows only to the largest single request made of it); reusable after
/// <see cref="HexDigest()"/> or <see cref="Discard"/>. Not thread-safe.
/// </summary>
internal sealed class Sha256BufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>The length of <see cref="HexDigest()"/>: two hex digits per byte of a SHA-256.</summary>
    public const int HexLength = SHA256.HashSizeInBytes * 2;

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
    public string HexDigest()
    {
        Span<char> hex = stackalloc char[HexLength];
        HexDigest(hex);
        return new string(hex);
    }

    /// <summary>Writes the lower-case hex SHA-256 of everything written so far (<see cref="HexLength"/> characters) to
    /// <paramref name="destination"/>, without an array or a string; the writer then starts a new hash (reusable).</summary>
    public void HexDigest(Span<char> destination)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetHashAndReset(digest);
        if (!Convert.TryToHexStringLower(digest, destination, out var written) || written != HexLength)
        {
            throw new ArgumentException("The destination is too short for a SHA-256 in hex.", nameof(destination));
        }
    }

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
