namespace SpecSynth.Context.Tokens;

/// <summary>
/// Reads the body of a <see cref="TokenCountCache"/> file (everything but its 8-byte checksum trailer) through one small
/// buffer, adding every byte taken to the file's checksum: a file larger than what a process keeps in memory is merged or
/// loaded in passes without ever holding its bytes or all its entries.
/// </summary>
internal sealed class TokenCountFileReader
{
    private const int BufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start, _end;
    private long _left;

    /// <summary>A reader of the <paramref name="bodyBytes"/> bytes from the start of <paramref name="stream"/>.</summary>
    public TokenCountFileReader(Stream stream, long bodyBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(bodyBytes);
        _stream = stream;
        _stream.Position = 0;
        _left = bodyBytes;
    }

    /// <summary>The checksum of the bytes taken so far.</summary>
    public Index.IndexChecksum Checksum { get; } = new();

    /// <summary>The body's bytes not taken yet.</summary>
    public long Remaining => _left + (_end - _start);

    /// <summary>The next <paramref name="count"/> bytes (at most the buffer's size; valid until the next call), or false
    /// when the body (or the file) ends before them.</summary>
    public bool TryTake(int count, out ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, BufferBytes);
        if (_end - _start < count)
        {
            Fill(count);
        }
        if (_end - _start < count)
        {
            bytes = default;
            return false;
        }
        bytes = _buffer.AsSpan(_start, count);
        Checksum.Append(bytes);
        _start += count;
        return true;
    }

    /// <summary>The 8 bytes after the body (read once the body was taken).</summary>
    public ulong ReadTrailer()
    {
        Span<byte> trailer = stackalloc byte[8];
        _stream.ReadExactly(trailer);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(trailer);
    }

    private void Fill(int count)
    {
        var kept = _end - _start;
        _buffer.AsSpan(_start, kept).CopyTo(_buffer);
        _start = 0;
        _end = kept;
        while (_end < count && _left > 0)
        {
            var read = _stream.Read(_buffer, _end, (int)Math.Min(_buffer.Length - _end, _left));
            if (read == 0)
            {
                _left = 0;
                return;
            }
            _end += read;
            _left -= read;
        }
    }
}
