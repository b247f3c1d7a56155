using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace SpecSynth.Usage;

/// <summary>
/// JSON written straight to UTF-8 bytes, byte for byte as a <see cref="System.Text.Json.Utf8JsonWriter"/> with
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> writes the same values (the audit line's format, issue 19): a
/// string's runs of printable ASCII are copied by one vectorized scan and one narrowing, the other ASCII characters get the
/// writer's escapes (<c>\n</c>, <c>\"</c>, <c>\u001B</c>, ...), and the rest goes through the encoder itself, as the writer
/// does; numbers are formatted by the writer's formatter. The writer's general path (its escaping state machine, the encoder
/// called character by character once a text held one character to escape) was most of an audit line's cost. No
/// validation: the caller writes well-formed documents. Reused by one thread (<see cref="Start"/>); not thread-safe.
/// With a hash (<see cref="ForHash"/>) the bytes are fed to a SHA-256 as the buffer fills and none are kept: a document of
/// any length is hashed through one fixed buffer.
/// </summary>
internal sealed class RelaxedJsonBytes
{
    /// <summary>The length of <see cref="HexDigest"/>: two hex digits per byte of a SHA-256.</summary>
    public const int HexLength = SHA256.HashSizeInBytes * 2;

    /// <summary>A buffer grown past this by one long document is not kept (<see cref="Release"/>).</summary>
    public const int KeptBytes = 64 * 1024;

    /// <summary>The most characters of a text handled at once: a plain run's bytes, or a non-ASCII run's escaped form
    /// (at most six characters each, <c>\uXXXX</c>, and three UTF-8 bytes per character).</summary>
    private const int ChunkChars = 256;

    /// <summary>The buffer of a hashing writer: room for the largest single piece (<see cref="ChunkChars"/> × 6 × 3).</summary>
    private const int HashBufferBytes = 8192;

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private readonly IncrementalHash? _hash;
    private byte[] _buffer;
    private int _length;

    private RelaxedJsonBytes(int capacity, IncrementalHash? hash) => (_buffer, _hash) = (new byte[capacity], hash);

    /// <summary>What was written since <see cref="Start"/> (of a writer without a hash).</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>The writer in <paramref name="slot"/> (made the first time), emptied.</summary>
    public static RelaxedJsonBytes Start(ref RelaxedJsonBytes? slot)
    {
        var writer = slot ??= new RelaxedJsonBytes(1024, null);
        writer._length = 0;
        return writer;
    }

    /// <summary>The hashing writer in <paramref name="slot"/> (made the first time), emptied: what is written goes into a
    /// SHA-256, read by <see cref="HexDigest"/>.</summary>
    public static RelaxedJsonBytes ForHash(ref RelaxedJsonBytes? slot)
    {
        var writer = slot ??= new RelaxedJsonBytes(HashBufferBytes, IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        writer._length = 0;
        return writer;
    }

    /// <summary>Empties <paramref name="slot"/> when one long document grew its buffer past <see cref="KeptBytes"/>.</summary>
    public static void Release(ref RelaxedJsonBytes? slot)
    {
        if (slot is { _buffer.Length: > KeptBytes })
        {
            slot = null;
        }
    }

    /// <summary>Writes the lower-case hex SHA-256 of everything written since <see cref="ForHash"/> to
    /// <paramref name="destination"/> (<see cref="RelaxedJsonBytes.HexLength"/> characters); the hash starts over.</summary>
    public void HexDigest(Span<char> destination)
    {
        var hash = _hash ?? throw new InvalidOperationException("This writer does not hash.");
        hash.AppendData(_buffer, 0, _length);
        _length = 0;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        if (!Convert.TryToHexStringLower(digest, destination, out var written) || written != RelaxedJsonBytes.HexLength)
        {
            throw new ArgumentException("The destination is too short for a SHA-256 in hex.", nameof(destination));
        }
    }

    /// <summary>Drops what a hashing writer took in so far (the hash starts over), e.g. after a failure.</summary>
    public void Discard()
    {
        _length = 0;
        _hash?.GetHashAndReset();
    }

    /// <summary>Writes <paramref name="bytes"/> as they are (JSON punctuation, property names, a value written before).</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (_hash is not null && bytes.Length > HashBufferBytes)
        {
            Spill();
            _hash.AppendData(bytes);
            return;
        }
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Room for <paramref name="count"/> bytes at the end (at most <see cref="HashBufferBytes"/> for a hashing
    /// writer), handed back by <see cref="Advance"/>.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            if (_hash is not null)
            {
                Spill();
            }
            else
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
            }
        }
        return _buffer.AsSpan(_length);
    }

    /// <summary>Counts <paramref name="count"/> bytes written to the span of <see cref="Reserve"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Writes <c>null</c>.</summary>
    public void Null() => Raw("null"u8);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void Boolean(bool value) => Raw(value ? "true"u8 : "false"u8);

    /// <summary>Writes <paramref name="value"/> as the writer's <c>WriteNumberValue(long)</c> does.</summary>
    public void Number(long value)
    {
        if (!Utf8Formatter.TryFormat(value, Reserve(24), out var written))
        {
            throw new InvalidOperationException("A number does not fit its room.");
        }
        _length += written;
    }

    /// <summary>Writes <paramref name="value"/> as the writer's <c>WriteNumberValue(decimal)</c> does.</summary>
    public void Number(decimal value)
    {
        if (!Utf8Formatter.TryFormat(value, Reserve(64), out var written))
        {
            throw new InvalidOperationException("A number does not fit its room.");
        }
        _length += written;
    }

    /// <summary>Writes <paramref name="value"/> (finite) as the writer's <c>WriteNumberValue(double)</c> does.</summary>
    public void Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no such number.");
        }
        if (!Utf8Formatter.TryFormat(value, Reserve(64), out var written))
        {
            throw new InvalidOperationException("A number does not fit its room.");
        }
        _length += written;
    }

    /// <summary>Writes <paramref name="value"/> as a JSON string, or <c>null</c>.</summary>
    public void StringOrNull(string? value)
    {
        if (value is null)
        {
            Null();
        }
        else
        {
            String(value);
        }
    }

    /// <summary>Writes <paramref name="text"/> as one JSON string, quotes included, escaped as the writer escapes it.</summary>
    public void String(ReadOnlySpan<char> text)
    {
        Raw("\""u8);
        while (!text.IsEmpty)
        {
            // Printable ASCII (but the quote and the backslash): one byte per character, checked and narrowed in one pass.
            var piece = text[..Math.Min(text.Length, ChunkChars * 4)];
            var copied = CopyPlain(piece, Reserve(piece.Length));
            _length += copied;
            text = text[copied..];
            if (copied == piece.Length)
            {
                continue;
            }
            var c = text[0];
            if (c < 0x80)
            {
                Escape(c);
                text = text[1..];
                continue;
            }
            // A run of non-ASCII characters, through the encoder as the writer does (letters kept, the rest as \uXXXX, a
            // lone surrogate as \uFFFD); cut between characters, never between the halves of a pair.
            var end = text.IndexOfAnyInRange('\0', '\x7F');
            var take = Math.Min(end < 0 ? text.Length : end, ChunkChars);
            if (take < text.Length && char.IsHighSurrogate(text[take - 1]) && take > 1)
            {
                take--;
            }
            EncodeNonAscii(text[..take]);
            text = text[take..];
        }
        Raw("\""u8);
    }

    /// <summary>Copies the leading characters of <paramref name="text"/> that are written as they are (printable ASCII
    /// but the quote and the backslash) to <paramref name="destination"/> as bytes, and returns how many.</summary>
    private static int CopyPlain(ReadOnlySpan<char> text, Span<byte> destination)
    {
        ref var source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        ref var target = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)Math.Min(text.Length, destination.Length);
        nuint i = 0;
        // Whole blocks while they hold no character to escape (c - 0x20 above 0x5E unsigned: a control or DEL and above,
        // the quote, the backslash); the block that holds one, and the tail, one character at a time.
        if (Vector256.IsHardwareAccelerated)
        {
            var space = Vector256.Create((ushort)0x20);
            var printable = Vector256.Create((ushort)0x5E);
            var quote = Vector256.Create((ushort)'"');
            var backslash = Vector256.Create((ushort)'\\');
            for (; i + 32 <= length; i += 32)
            {
                var low = Vector256.LoadUnsafe(ref source, i);
                var high = Vector256.LoadUnsafe(ref source, i + 16);
                var escaped = Vector256.GreaterThan(low - space, printable) | Vector256.Equals(low, quote) | Vector256.Equals(low, backslash)
                    | Vector256.GreaterThan(high - space, printable) | Vector256.Equals(high, quote) | Vector256.Equals(high, backslash);
                if (escaped != Vector256<ushort>.Zero)
                {
                    break;
                }
                Vector256.Narrow(low, high).StoreUnsafe(ref target, i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var space = Vector128.Create((ushort)0x20);
            var printable = Vector128.Create((ushort)0x5E);
            var quote = Vector128.Create((ushort)'"');
            var backslash = Vector128.Create((ushort)'\\');
            for (; i + 16 <= length; i += 16)
            {
                var low = Vector128.LoadUnsafe(ref source, i);
                var high = Vector128.LoadUnsafe(ref source, i + 8);
                var escaped = Vector128.GreaterThan(low - space, printable) | Vector128.Equals(low, quote) | Vector128.Equals(low, backslash)
                    | Vector128.GreaterThan(high - space, printable) | Vector128.Equals(high, quote) | Vector128.Equals(high, backslash);
                if (escaped != Vector128<ushort>.Zero)
                {
                    break;
                }
                Vector128.Narrow(low, high).StoreUnsafe(ref target, i);
            }
        }
        for (; i < length; i++)
        {
            var c = Unsafe.Add(ref source, i);
            if ((uint)(c - 0x20) > 0x5E || c is '"' or '\\')
            {
                break;
            }
            Unsafe.Add(ref target, i) = (byte)c;
        }
        return (int)i;
    }

    private void EncodeNonAscii(ReadOnlySpan<char> run)
    {
        Span<char> escaped = stackalloc char[ChunkChars * 6];
        var status = Encoder.Encode(run, escaped, out var consumed, out var written, isFinalBlock: true);
        if (status != OperationStatus.Done || consumed != run.Length)
        {
            throw new InvalidOperationException("The encoder did not take a whole run: " + status + ".");
        }
        // Reserved first: a hashing writer's Reserve may spill the buffer and start it over.
        var room = Reserve(written * 3);
        _length += Encoding.UTF8.GetBytes(escaped[..written], room);
    }

    /// <summary>The writer's escape of an ASCII character that is not copied.</summary>
    private void Escape(char c)
    {
        var room = Reserve(6);
        room[0] = (byte)'\\';
        var shortForm = c switch
        {
            '\b' => (byte)'b',
            '\t' => (byte)'t',
            '\n' => (byte)'n',
            '\f' => (byte)'f',
            '\r' => (byte)'r',
            '"' => (byte)'"',
            '\\' => (byte)'\\',
            _ => (byte)0,
        };
        if (shortForm != 0)
        {
            room[1] = shortForm;
            _length += 2;
            return;
        }
        room[1] = (byte)'u';
        room[2] = (byte)'0';
        room[3] = (byte)'0';
        room[4] = (byte)"0123456789ABCDEF"[c >> 4];
        room[5] = (byte)"0123456789ABCDEF"[c & 0xF];
        _length += 6;
    }

    /// <summary>Feeds what the buffer holds to the hash and empties it.</summary>
    private void Spill()
    {
        _hash!.AppendData(_buffer, 0, _length);
        _length = 0;
    }
}
