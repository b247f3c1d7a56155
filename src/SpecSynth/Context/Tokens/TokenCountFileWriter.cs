using System.Buffers.Binary;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Writes a <see cref="TokenCountCache"/> file through one small buffer: the header (magic and entry count), the entries
/// as they are given, then the checksum of both.
/// </summary>
internal sealed class TokenCountFileWriter
{
    private const int BufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly Index.IndexChecksum _checksum = new();
    private int _at;

    /// <summary>A writer of a file of <paramref name="count"/> entries to <paramref name="stream"/> (the header is written now).</summary>
    public TokenCountFileWriter(Stream stream, ulong magic, int count)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer, magic);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(8), count);
        _at = 12;
    }

    /// <summary>Writes one entry: its key, day, value count and values.</summary>
    public void Add(TokenCountCache.Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Room(TokenCountCache.EntryHeaderBytes);
        var span = _buffer.AsSpan(_at);
        BinaryPrimitives.WriteUInt64LittleEndian(span, entry.Counter);
        span[8] = entry.Kind;
        BinaryPrimitives.WriteUInt64LittleEndian(span[9..], entry.Hash.Lower);
        BinaryPrimitives.WriteUInt64LittleEndian(span[17..], entry.Hash.Upper);
        BinaryPrimitives.WriteInt32LittleEndian(span[25..], entry.Day);
        BinaryPrimitives.WriteInt32LittleEndian(span[29..], entry.ValueCount);
        _at += TokenCountCache.EntryHeaderBytes;
        if (entry.Lines is null)
        {
            Value(entry.Count);
            return;
        }
        foreach (var value in entry.Lines)
        {
            Value(value);
        }
    }

    /// <summary>Writes the checksum trailer and what is left in the buffer.</summary>
    public void Finish()
    {
        Room(8);
        _checksum.Append(_buffer.AsSpan(0, _at));
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_at), _checksum.Finish());
        _stream.Write(_buffer, 0, _at + 8);
        _at = 0;
    }

    private void Value(int value)
    {
        Room(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_at), value);
        _at += 4;
    }

    /// <summary>Drains the buffer (into the checksum and the stream) when fewer than <paramref name="bytes"/> are free.</summary>
    private void Room(int bytes)
    {
        if (_buffer.Length - _at >= bytes)
        {
            return;
        }
        _checksum.Append(_buffer.AsSpan(0, _at));
        _stream.Write(_buffer, 0, _at);
        _at = 0;
    }
}
