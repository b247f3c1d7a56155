using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Counts o200k_base tokens exactly as Microsoft.ML.Tokenizers' <c>TiktokenTokenizer.CountTokens</c> does, from the same
/// ranks (the Microsoft.ML.Tokenizers.Data.O200kBase resource), but builds only what counting needs: one open-addressed
/// table from token bytes to rank (no decoder, no string vocabulary, no dictionaries of generic structs left to the
/// JIT). Same split (the special tokens, then the library's own o200k pre-token regex over the text between them, decided
/// by hand where the characters that decide a piece are ASCII: <see cref="O200kAsciiSplit"/>), same
/// byte encoding of each piece (a lone surrogate as three bytes), a piece that is one token counts 1, any other piece
/// is merged pair by pair, lowest rank first and leftmost on a tie (the library's two algorithms: a scan up to 128
/// bytes, a heap above). The one difference: the library remembers the special tokens in a bounded cache, so after
/// thousands of other pieces one process could count <c>&lt;|endoftext|&gt;</c> as several tokens; here it is always
/// one. Immutable after <see cref="Load"/>; thread-safe.
/// </summary>
internal sealed class O200kEncoding
{
    /// <summary>The o200k_base pre-token pattern (tiktoken's, as Microsoft.ML.Tokenizers writes it).</summary>
    public const string Pattern =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.O200kBase";
    private const string DataResource = "o200k_base.tiktoken.deflate";
    private const string EndOfText = "<|endoftext|>", EndOfPrompt = "<|endofprompt|>", SpecialPrefix = "<|endof";
    private const int ScanLimit = 128, NoRank = int.MaxValue;

    /// <summary>The o200k_base data's token count and their bytes (Microsoft.ML.Tokenizers.Data.O200kBase): the tables are
    /// made at these sizes, grown if the data holds more and cut if it holds fewer.</summary>
    internal const int ExpectedTokens = 199_998, ExpectedTokenBytes = 1_397_670;

    /// <summary>How much of the data is read at once (below the large-object threshold).</summary>
    private const int ChunkSize = 64 * 1024;

    /// <summary>After the regex had to decide a piece, how many ASCII pieces in a row it gives before the hand split resumes.</summary>
    private const int AsciiPiecesToResume = 4;

    private readonly byte[] _bytes;
    private readonly int[] _starts, _ranks, _slots;
    private readonly int _mask;

    private O200kEncoding(byte[] bytes, int[] starts, int[] ranks, int[] slots, Regex regex, bool libraryRegex)
    {
        _bytes = bytes;
        _starts = starts;
        _ranks = ranks;
        _slots = slots;
        _mask = slots.Length - 1;
        Regex = regex;
        UsesLibraryRegex = libraryRegex;
    }

    /// <summary>The pre-token regex in use.</summary>
    public Regex Regex { get; }

    /// <summary>Whether <see cref="Regex"/> is the library's own (source-generated) instance rather than one compiled here.</summary>
    public bool UsesLibraryRegex { get; }

    /// <summary>The number of mergeable tokens loaded.</summary>
    public int TokenCount => _starts.Length - 1;

    /// <summary>The bytes of all tokens loaded.</summary>
    internal int TokenBytes => _bytes.Length;

    /// <summary>Reads the ranks from the data package's resource and builds the table (~200,000 tokens).</summary>
    public static O200kEncoding Load()
    {
        var assembly = Assembly.Load(new AssemblyName(DataAssembly));
        using var compressed = assembly.GetManifestResourceStream(DataResource)
            ?? throw new InvalidOperationException($"{DataAssembly} has no resource {DataResource}");
        using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
        var (regex, library) = PreTokenRegex();
        return Parse(deflate, regex, library);
    }

    /// <summary>The rank of the token whose bytes are <paramref name="token"/>, or -1 when no token has them.</summary>
    public int RankOf(ReadOnlySpan<byte> token)
    {
        var rank = Find(token);
        return rank == NoRank ? -1 : rank;
    }

    /// <summary>The token count of <paramref name="text"/>: the library's <c>CountTokens(text)</c>.</summary>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var begin = 0;
        while (begin < text.Length)
        {
            var special = NextSpecial(text, begin, out var specialLength);
            var end = special < 0 ? text.Length : special;
            if (end > begin)
            {
                count += CountSegment(text.AsSpan(begin, end - begin));
            }
            if (special < 0)
            {
                break;
            }
            count++;
            begin = special + specialLength;
        }
        return count;
    }

    /// <summary>The tokens of <paramref name="segment"/> (text between special tokens): its pieces split by hand where
    /// the characters deciding them are ASCII (<see cref="O200kAsciiSplit"/>), by the regex from where one is not until
    /// it has given <see cref="AsciiPiecesToResume"/> ASCII pieces in a row. The pattern has no look-behind and every
    /// character starts a piece, so the regex's split continued from the end of any piece is its split of the whole.</summary>
    private int CountSegment(ReadOnlySpan<char> segment)
    {
        var count = 0;
        var at = 0;
        while (at < segment.Length)
        {
            var length = O200kAsciiSplit.PieceLength(segment, at);
            if (length > 0)
            {
                count += CountPiece(segment.Slice(at, length));
                at += length;
                continue;
            }
            var rest = segment[at..];
            var resumeAt = segment.Length;
            var asciiRun = 0;
            foreach (var match in Regex.EnumerateMatches(rest))
            {
                var piece = rest.Slice(match.Index, match.Length);
                count += CountPiece(piece);
                asciiRun = System.Text.Ascii.IsValid(piece) ? asciiRun + 1 : 0;
                if (asciiRun == AsciiPiecesToResume)
                {
                    resumeAt = at + match.Index + match.Length;
                    break;
                }
            }
            at = resumeAt;
        }
        return count;
    }

    private static int NextSpecial(string text, int from, out int length)
    {
        for (var at = text.IndexOf(SpecialPrefix, from, StringComparison.Ordinal); at >= 0;
            at = text.IndexOf(SpecialPrefix, at + 1, StringComparison.Ordinal))
        {
            var rest = text.AsSpan(at);
            if (rest.StartsWith(EndOfText, StringComparison.Ordinal))
            {
                length = EndOfText.Length;
                return at;
            }
            if (rest.StartsWith(EndOfPrompt, StringComparison.Ordinal))
            {
                length = EndOfPrompt.Length;
                return at;
            }
        }
        length = 0;
        return -1;
    }

    private int CountPiece(ReadOnlySpan<char> piece)
    {
        var max = piece.Length * 3;
        byte[]? rented = null;
        var buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = Utf8(piece, buffer, out var noWholeToken);
        var bytes = buffer[..length];
        int count;
        if (length == 1 || (!noWholeToken && Find(bytes) != NoRank))
        {
            count = 1;
        }
        else
        {
            count = length <= ScanLimit ? MergeByScan(bytes) : MergeByHeap(bytes);
        }
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return count;
    }

    /// <summary>The library's byte encoding of a piece (a lone surrogate becomes its three-byte form). A piece that holds
    /// U+FFFD or a lone surrogate is never in the library's string vocabulary, so it is always merged.</summary>
    private static int Utf8(ReadOnlySpan<char> text, Span<byte> into, out bool noWholeToken)
    {
        noWholeToken = false;
        var at = 0;
        for (var i = 0; i < text.Length; i++)
        {
            uint c = text[i];
            if (c <= 0x7F)
            {
                into[at++] = (byte)c;
            }
            else if (c <= 0x7FF)
            {
                into[at++] = (byte)(0xC0 | (c >> 6));
                into[at++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (i < text.Length - 1 && char.IsSurrogatePair((char)c, text[i + 1]))
            {
                var value = (uint)char.ConvertToUtf32((char)c, text[i + 1]);
                into[at++] = (byte)(0xF0 | (value >> 18));
                into[at++] = (byte)(0x80 | ((value >> 12) & 0x3F));
                into[at++] = (byte)(0x80 | ((value >> 6) & 0x3F));
                into[at++] = (byte)(0x80 | (value & 0x3F));
                i++;
            }
            else
            {
                noWholeToken |= c == 0xFFFD || char.IsSurrogate((char)c);
                into[at++] = (byte)(0xE0 | (c >> 12));
                into[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                into[at++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return at;
    }

    /// <summary>Up to 128 bytes: repeatedly merges the lowest-ranked adjacent pair (the leftmost of equals).</summary>
    private int MergeByScan(ReadOnlySpan<byte> bytes)
    {
        var parts = bytes.Length + 1;
        Span<int> starts = stackalloc int[ScanLimit + 1];
        Span<int> ranks = stackalloc int[ScanLimit + 1];
        for (var i = 0; i < parts; i++)
        {
            starts[i] = i;
            ranks[i] = NoRank;
        }
        for (var i = 0; i < parts - 2; i++)
        {
            ranks[i] = Find(bytes[starts[i]..starts[i + 2]]);
        }
        while (parts > 1)
        {
            var min = NoRank;
            var j = 0;
            for (var i = 0; i < parts - 1; i++)
            {
                if (ranks[i] < min)
                {
                    min = ranks[i];
                    j = i;
                }
            }
            if (min == NoRank)
            {
                break;
            }
            ranks[j] = j + 3 < parts ? Find(bytes[starts[j]..starts[j + 3]]) : NoRank;
            if (j > 0)
            {
                ranks[j - 1] = j + 2 < parts ? Find(bytes[starts[j - 1]..starts[j + 2]]) : NoRank;
            }
            starts[(j + 2)..parts].CopyTo(starts[(j + 1)..]);
            ranks[(j + 2)..parts].CopyTo(ranks[(j + 1)..]);
            parts--;
        }
        return parts - 1;
    }

    /// <summary>Above 128 bytes: the same merges with a heap of candidate pairs (rank, then start), stale entries skipped.</summary>
    private int MergeByHeap(ReadOnlySpan<byte> bytes)
    {
        var n = bytes.Length;
        var end = ArrayPool<int>.Shared.Rent(n);
        var nextEnd = ArrayPool<int>.Shared.Rent(n);
        var nextRank = ArrayPool<int>.Shared.Rent(n);
        var prev = ArrayPool<int>.Shared.Rent(n);
        var heap = new PriorityQueue<int, long>(n);
        prev[0] = NoRank;
        end[0] = 1;
        nextEnd[0] = 2;
        nextRank[0] = NoRank;
        for (var i = 0; i < n - 1; i++)
        {
            var rank = Find(bytes.Slice(i, 2));
            if (rank != NoRank)
            {
                heap.Enqueue(i, Key(rank, i));
                nextRank[i] = rank;
            }
            prev[i + 1] = i;
            end[i + 1] = i + 2;
            nextEnd[i + 1] = i + 3;
            nextRank[i + 1] = NoRank;
        }
        while (heap.TryDequeue(out var left, out var key))
        {
            if ((int)(key >> 32) != nextRank[left])
            {
                continue;
            }
            var rightStart = end[left];
            var rightEnd = nextEnd[left];
            var rightNextEnd = nextEnd[rightStart];
            end[left] = rightEnd;
            PotentialMerge(bytes, left, rightNextEnd);
            if (rightEnd < n)
            {
                prev[rightEnd] = left;
            }
            if (left > 0)
            {
                PotentialMerge(bytes, prev[left], rightEnd);
            }
            nextRank[rightStart] = NoRank;
        }
        var count = 0;
        for (var at = 0; at < n; at = end[at])
        {
            count++;
        }
        ArrayPool<int>.Shared.Return(end);
        ArrayPool<int>.Shared.Return(nextEnd);
        ArrayPool<int>.Shared.Return(nextRank);
        ArrayPool<int>.Shared.Return(prev);
        return count;

        void PotentialMerge(ReadOnlySpan<byte> bytes, int start, int next)
        {
            nextEnd[start] = next;
            nextRank[start] = NoRank;
            if (next <= n)
            {
                var rank = Find(bytes[start..next]);
                if (rank != NoRank)
                {
                    heap.Enqueue(start, Key(rank, start));
                    nextRank[start] = rank;
                }
            }
        }

        static long Key(int rank, int start) => ((long)rank << 32) | (uint)start;
    }

    private int Find(ReadOnlySpan<byte> token)
    {
        var slot = Hash(token) & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return NoRank;
            }
            var start = _starts[entry - 1];
            if (token.SequenceEqual(_bytes.AsSpan(start, _starts[entry] - start)))
            {
                return _ranks[entry - 1];
            }
            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<byte> token)
    {
        var hash = (ulong)token.Length * 0x9E3779B97F4A7C15UL;
        var i = 0;
        for (; i + 8 <= token.Length; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(token[i..])) * 0xBF58476D1CE4E5B9UL;
            hash ^= hash >> 31;
        }
        ulong tail = 0;
        for (var shift = 0; i < token.Length; i++, shift += 8)
        {
            tail |= (ulong)token[i] << shift;
        }
        hash = (hash ^ tail) * 0x94D049BB133111EBUL;
        return (int)(hash ^ (hash >> 32)) & int.MaxValue;
    }

    /// <summary>Reads the ranks from <paramref name="text"/> a chunk at a time (a line is never held past its turn): the
    /// data's ~3.6 MB of text is never in memory at once, and the tables are made at <see cref="ExpectedTokens"/> and
    /// <see cref="ExpectedTokenBytes"/> and grown only if the data holds more, so loading leaves no large-object
    /// garbage behind (it was ~8.6 MB: the whole text, and the byte and start tables made at the text's size and then
    /// copied to the size used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static O200kEncoding Parse(Stream text, Regex regex, bool libraryRegex, int chunkSize = ChunkSize,
        int expectedTokens = ExpectedTokens, int expectedTokenBytes = ExpectedTokenBytes)
    {
        var builder = new RankTableBuilder(expectedTokens, expectedTokenBytes);
        var chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            var carried = 0; // the start of an unfinished line, moved to the chunk's start
            while (true)
            {
                if (carried == chunk.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(chunk.Length * 2);
                    chunk.AsSpan(0, carried).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(chunk);
                    chunk = larger;
                }
                var read = text.Read(chunk, carried, chunk.Length - carried);
                if (read == 0)
                {
                    if (carried > 0)
                    {
                        builder.Line(chunk.AsSpan(0, carried)); // the last line, with no line break after it
                    }
                    break;
                }
                var data = chunk.AsSpan(0, carried + read);
                var scanFrom = carried;
                var lineStart = 0;
                while (true)
                {
                    var newline = data[scanFrom..].IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }
                    newline += scanFrom;
                    builder.Line(data[lineStart..newline]);
                    lineStart = scanFrom = newline + 1;
                }
                carried = data.Length - lineStart;
                data[lineStart..].CopyTo(chunk);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return builder.Build(regex, libraryRegex);
    }

    /// <summary>The tables of the ranks, built line by line (the library's two forms of line: <c>base64 rank</c>, or bare
    /// base64 ranked by its line number; a first line <c>Capacity: N</c> is skipped; a repeated token keeps its last
    /// rank, as in the library's dictionary).</summary>
    private sealed class RankTableBuilder(int tokens, int tokenBytes)
    {
        private byte[] _bytes = new byte[tokenBytes];
        private int[] _starts = new int[tokens + 1];
        private int[] _ranks = new int[tokens];
        private int[] _slots = new int[SlotsFor(tokens)];
        private int _count, _used, _lineNumber;
        private bool _atStart = true;
        private int _form; // 1 = "base64 rank" lines, 2 = bare base64 ranked by line number

        // Called ~200,000 times in one load, early in the process: optimized at once (tier-0 code, with no inlining of
        // Hash, ran most of a load before the tiered JIT replaced it).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Line(ReadOnlySpan<byte> line)
        {
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (_atStart)
            {
                _atStart = false;
                if (line.StartsWith("Capacity: "u8))
                {
                    return;
                }
            }
            if (_form == 0)
            {
                if (line.Length == 0)
                {
                    return;
                }
                _form = line.IndexOf((byte)' ') >= 0 ? 1 : 2;
            }
            int rank;
            var encoded = line;
            if (_form == 1)
            {
                if (line.Length == 0)
                {
                    return;
                }
                var space = line.IndexOf((byte)' ');
                if (space <= 0 || !Utf8Parser.TryParse(line[(space + 1)..], out rank, out var consumed) || consumed != line.Length - space - 1)
                {
                    throw new FormatException("Invalid line in the o200k_base ranks");
                }
                encoded = line[..space];
            }
            else
            {
                rank = _lineNumber++;
                if (line.Length == 0)
                {
                    return;
                }
            }
            var most = DecodedLength(encoded);
            if (_used + most > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + most));
            }
            if (Base64.DecodeFromUtf8(encoded, _bytes.AsSpan(_used), out _, out var written) != OperationStatus.Done)
            {
                throw new FormatException("Invalid base64 in the o200k_base ranks");
            }
            Add(_bytes.AsSpan(_used, written), rank);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Add(ReadOnlySpan<byte> token, int rank)
        {
            var mask = _slots.Length - 1;
            var slot = Hash(token) & mask;
            while (true)
            {
                var entry = _slots[slot];
                if (entry == 0)
                {
                    break;
                }
                var start = _starts[entry - 1];
                if (token.SequenceEqual(_bytes.AsSpan(start, _starts[entry] - start)))
                {
                    _ranks[entry - 1] = rank; // a repeated token: the last rank wins, as in the library's dictionary
                    return;
                }
                slot = (slot + 1) & mask;
            }
            if (_count == _ranks.Length)
            {
                Array.Resize(ref _ranks, Math.Max(16, _ranks.Length * 2));
                Array.Resize(ref _starts, _ranks.Length + 1);
            }
            _starts[_count] = _used;
            _ranks[_count] = rank;
            _used += token.Length;
            _count++;
            _starts[_count] = _used;
            _slots[slot] = _count;
            if (_slots.Length < SlotsFor(_count))
            {
                Rehash();
            }
        }

        private void Rehash()
        {
            _slots = new int[SlotsFor(_count)];
            var mask = _slots.Length - 1;
            for (var entry = 1; entry <= _count; entry++)
            {
                var slot = Hash(_bytes.AsSpan(_starts[entry - 1], _starts[entry] - _starts[entry - 1])) & mask;
                while (_slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                _slots[slot] = entry;
            }
        }

        /// <summary>The bytes <paramref name="encoded"/> decodes to when it is whole base64 (then the byte table made at the
        /// expected size never grows for the last token), else the most it could.</summary>
        private static int DecodedLength(ReadOnlySpan<byte> encoded)
        {
            if (encoded.Length == 0 || encoded.Length % 4 != 0)
            {
                return Base64.GetMaxDecodedFromUtf8Length(encoded.Length);
            }
            var padding = encoded[^1] != (byte)'=' ? 0 : encoded[^2] == (byte)'=' ? 2 : 1;
            return (encoded.Length / 4 * 3) - padding;
        }

        /// <summary>The table's size for <paramref name="tokens"/> entries: a power of two at least twice as many.</summary>
        private static int SlotsFor(int tokens)
        {
            var size = 1;
            while (size < (tokens + 1) * 2)
            {
                size <<= 1;
            }
            return size;
        }

        public O200kEncoding Build(Regex regex, bool libraryRegex) => new(
            _used == _bytes.Length ? _bytes : _bytes.AsSpan(0, _used).ToArray(),
            _count + 1 == _starts.Length ? _starts : _starts.AsSpan(0, _count + 1).ToArray(),
            _count == _ranks.Length ? _ranks : _ranks.AsSpan(0, _count).ToArray(),
            _slots, regex, libraryRegex);
    }

    /// <summary>The library's own source-generated o200k regex when it is there and is the same pattern (no regex to
    /// compile); otherwise the same pattern compiled here.</summary>
    private static (Regex Regex, bool Library) PreTokenRegex()
    {
        try
        {
            var method = typeof(TiktokenTokenizer).GetMethod("O200kBaseRegex", BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes);
            if (method?.Invoke(null, null) is Regex regex && regex.ToString() == Pattern && regex.Options == RegexOptions.None)
            {
                return (regex, true);
            }
        }
        catch (TargetInvocationException)
        {
        }
        catch (MemberAccessException)
        {
        }
        return (new Regex(Pattern, RegexOptions.Compiled), false);
    }
}
