using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace SpecSynth.Usage;

/// <summary>
/// This process's rows of one usage ledger not yet known to be committed (issue 19): a file beside <c>usage.db</c>
/// (<c>usage.db.rows-&lt;pid&gt;-&lt;id&gt;</c>) that each row is appended to with one <c>pwrite</c> before its call returns,
/// so the row survives the death of the process (a <c>SIGKILL</c>: written data is in the kernel's page cache) while its
/// insert into <c>usage.db</c> is staged and committed behind. Each record is framed (length, CRC-32, sequence number, row)
/// and numbered in order; the ledger stores, in the same transaction as the rows, the highest number committed
/// (<c>journal_marks</c>), so a replay inserts exactly the rows that were not committed. The file is held with an exclusive
/// lock (<see cref="FileShare.None"/>: <c>flock</c> on Unix) while its owner lives; a ledger opening finds the journals
/// whose owner is gone (<see cref="TryTakeOrphan"/>), replays them and deletes them. Appends are serialised by the owner
/// (<see cref="UsageLedger"/>); not thread-safe on its own.
/// </summary>
internal sealed class UsageJournal : IDisposable
{
    /// <summary>What follows the ledger's file name in a journal's name.</summary>
    public const string Infix = ".rows-";

    /// <summary>Once everything appended is committed and the file holds this much, it is emptied (numbers go on).</summary>
    private const long RewindBytes = 1 << 20;

    /// <summary>Length and CRC-32 of a record's body.</summary>
    private const int HeaderBytes = 8;

    private readonly SafeFileHandle _file;
    private byte[] _buffer = new byte[1024];
    private long _end;
    private long _appended;

    private UsageJournal(string path, SafeFileHandle file, long end, long appended)
    {
        (Path, _file, _end, _appended) = (path, file, end, appended);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The file's name: its key in <c>journal_marks</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The number of the last record appended (0: none).</summary>
    public long Appended => _appended;

    /// <summary>Whether journals can be used: the runtime takes the exclusive lock that tells a live owner from a dead one
    /// (not when file locking is switched off: then every row is committed before its call returns, as without a journal).</summary>
    public static bool Supported =>
        !(AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
        && Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is not ("1" or "true" or "TRUE" or "True");

    /// <summary>A new journal of the ledger at <paramref name="ledgerPath"/>, created and locked; <c>null</c> when it cannot
    /// be (the rows are then committed before their calls return).</summary>
    public static UsageJournal? TryCreate(string ledgerPath)
    {
        if (!Supported)
        {
            return null;
        }
        var path = ledgerPath + Infix + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        try
        {
            var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            return new UsageJournal(path, file, 0, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The journals of other owners beside <paramref name="ledgerPath"/> (whether alive or not).</summary>
    public static IEnumerable<string> Candidates(string ledgerPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(ledgerPath))!;
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, System.IO.Path.GetFileName(ledgerPath) + Infix + "*");
    }

    /// <summary>Takes the journal at <paramref name="path"/> when its owner is gone: locked (so no other process replays it
    /// meanwhile) and still there (an owner deletes its journal before it lets go of the lock, a replayer before it does).
    /// <c>null</c>: its owner lives, or it is gone.</summary>
    public static UsageJournal? TryTakeOrphan(string path)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (!File.Exists(path))
        {
            file.Dispose();
            return null;
        }
        return new UsageJournal(path, file, RandomAccess.GetLength(file), 0);
    }

    /// <summary>Appends <paramref name="record"/> as the next record (one <c>pwrite</c>) and returns its number.</summary>
    /// <exception cref="IOException">It could not be written (the caller commits the row before its call returns).</exception>
    public long Append(UsageRecord record)
    {
        var sequence = _appended + 1;
        var length = Encode(record, sequence);
        RandomAccess.Write(_file, _buffer.AsSpan(0, length), _end);
        _end += length;
        _appended = sequence;
        return sequence;
    }

    /// <summary>Everything up to record <paramref name="sequence"/> is committed: when that is all and the file is big,
    /// it is emptied (a replay then finds only later records).</summary>
    public void Committed(long sequence)
    {
        if (sequence == _appended && _end >= RewindBytes)
        {
            RandomAccess.SetLength(_file, 0);
            _end = 0;
        }
    }

    /// <summary>The records in the file in order, up to the first torn or damaged one (the tail a killed writer left).</summary>
    public List<(long Sequence, UsageRecord Record)> Read()
    {
        var rows = new List<(long, UsageRecord)>();
        var length = RandomAccess.GetLength(_file);
        var bytes = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(_file, bytes.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        ReadOnlySpan<byte> rest = bytes.AsSpan(0, read);
        while (rest.Length >= HeaderBytes)
        {
            var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(rest);
            if (bodyLength <= 8 || bodyLength > rest.Length - HeaderBytes)
            {
                break;
            }
            var body = rest.Slice(HeaderBytes, bodyLength);
            if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]))
            {
                break;
            }
            try
            {
                rows.Add(Decode(body));
            }
            catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or DecoderFallbackException)
            {
                break;
            }
            rest = rest[(HeaderBytes + bodyLength)..];
        }
        return rows;
    }

    /// <summary>Deletes the file, then lets go of its lock: a replayer that takes the lock next finds no file.</summary>
    public void Delete()
    {
        try
        {
            File.Delete(Path);
        }
        finally
        {
            _file.Dispose();
        }
    }

    /// <summary>Lets go of the lock and leaves the file (for a later replay).</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Writes the framed record into <see cref="_buffer"/> and returns its length.</summary>
    private int Encode(UsageRecord r, long sequence)
    {
        var most = HeaderBytes + 8 + 8 + 8 * 4 + 16 + 8 + 9 + 4 + 2
            + 8 * 4 + Encoding.UTF8.GetMaxByteCount(r.RunId.Length + r.Operation.Length + (r.Spec?.Length ?? 0) + (r.Project?.Length ?? 0)
                + r.Provider.Length + r.Model.Length + (r.KeyAlias?.Length ?? 0) + r.Outcome.Length);
        if (_buffer.Length < most)
        {
            _buffer = new byte[Math.Max(most, _buffer.Length * 2)];
        }
        var span = _buffer.AsSpan();
        var at = HeaderBytes;
        Put(span, ref at, sequence);
        Put(span, ref at, r.Time.UtcTicks);
        Put(span, ref at, r.RunId);
        Put(span, ref at, r.Operation);
        Put(span, ref at, r.Spec);
        Put(span, ref at, r.Project);
        Put(span, ref at, r.Provider);
        Put(span, ref at, r.Model);
        Put(span, ref at, r.KeyAlias);
        Put(span, ref at, r.Tokens.InputTokens);
        Put(span, ref at, r.Tokens.OutputTokens);
        Put(span, ref at, r.Tokens.CacheWriteTokens);
        Put(span, ref at, r.Tokens.CacheReadTokens);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(r.CostUsd, bits);
        foreach (var bit in bits)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], bit);
            at += 4;
        }
        Put(span, ref at, r.Latency.Ticks);
        span[at++] = r.TimeToFirstToken is null ? (byte)0 : (byte)1;
        Put(span, ref at, r.TimeToFirstToken?.Ticks ?? 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], r.Retries);
        at += 4;
        Put(span, ref at, r.Outcome);
        span[at++] = r.CacheHit ? (byte)1 : (byte)0;
        span[at++] = r.Streamed ? (byte)1 : (byte)0;
        var body = span[HeaderBytes..at];
        BinaryPrimitives.WriteInt32LittleEndian(span, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32.HashToUInt32(body));
        return at;
    }

    private static (long, UsageRecord) Decode(ReadOnlySpan<byte> body)
    {
        var at = 0;
        var sequence = Long(body, ref at);
        var time = new DateTimeOffset(Long(body, ref at), TimeSpan.Zero);
        var runId = Text(body, ref at);
        var operation = Text(body, ref at);
        var spec = Text(body, ref at);
        var project = Text(body, ref at);
        var provider = Text(body, ref at);
        var model = Text(body, ref at);
        var keyAlias = Text(body, ref at);
        var tokens = new TokenUsage(Long(body, ref at), Long(body, ref at), Long(body, ref at), Long(body, ref at));
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
            at += 4;
        }
        var cost = new decimal(bits);
        var latency = TimeSpan.FromTicks(Long(body, ref at));
        var hasFirstToken = body[at++] != 0;
        var firstToken = Long(body, ref at);
        var retries = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        at += 4;
        var outcome = Text(body, ref at);
        var cacheHit = body[at++] != 0;
        var streamed = body[at++] != 0;
        ArgumentOutOfRangeException.ThrowIfNotEqual(at, body.Length, nameof(body));
        if (runId is null || operation is null || provider is null || model is null || outcome is null)
        {
            throw new ArgumentException("A required value of the record is missing.", nameof(body));
        }
        return (sequence, new UsageRecord
        {
            Time = time,
            RunId = runId,
            Operation = operation,
            Spec = spec,
            Project = project,
            Provider = provider,
            Model = model,
            KeyAlias = keyAlias,
            Tokens = tokens,
            CostUsd = cost,
            Latency = latency,
            TimeToFirstToken = hasFirstToken ? TimeSpan.FromTicks(firstToken) : null,
            Retries = retries,
            Outcome = outcome,
            CacheHit = cacheHit,
            Streamed = streamed,
        });
    }

    private static void Put(Span<byte> span, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], value);
        at += 8;
    }

    private static void Put(Span<byte> span, ref int at, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], -1);
            at += 4;
            return;
        }
        var length = Encoding.UTF8.GetBytes(value, span[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], length);
        at += 4 + length;
    }

    private static long Long(ReadOnlySpan<byte> body, ref int at)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
        at += 8;
        return value;
    }

    private static string? Text(ReadOnlySpan<byte> body, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        at += 4;
        if (length < 0)
        {
            return null;
        }
        var value = Encoding.UTF8.GetString(body.Slice(at, length));
        at += length;
        return value;
    }
}
