using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Config;
using SpecSynth.State;

namespace SpecSynth.Usage;

/// <summary>
/// The audit log: <c>audit.jsonl</c> in the state folder, one JSON object per line and per logical model call: who,
/// when, run, operation, provider, model, key alias (the variable, never the key), tokens, cost, outcome and the
/// SHA-256 of the messages; the messages and the reply themselves only with <c>[audit] include_prompts = true</c>.
/// Lines are written whole, by one write call (of one line, or of the lines of requests that finished together) while
/// the file is held exclusively (<see cref="FileShare.None"/>, an <c>flock</c> on Unix), so lines of concurrent processes
/// never interleave. Thread-safe.
/// </summary>
internal sealed class AuditLog : IDisposable
{
    /// <summary>The file name under the state folder.</summary>
    public const string FileName = "audit.jsonl";

    /// <summary>The user variable that replaces <c>user@machine</c> as "who".</summary>
    public const string UserVariable = "SPECSYNTH_USER";

    /// <summary>The longest piece of a message's text handed to the JSON writer at once.</summary>
    private const int SegmentChars = 2048;

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    // Per thread: the prompt hash's sink and writer, and the line's buffer and writer, reused from line to line (issue 19: a
    // new SHA-256 context, JSON writers and a growing MemoryStream copied out were a visible share of each request).
    [ThreadStatic]
    private static Sha256BufferWriter? t_hashSink;

    [ThreadStatic]
    private static Utf8JsonWriter? t_hashJson;

    [ThreadStatic]
    private static ThreadJsonWriter? t_line;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _gate = new();
    private readonly GroupCommit<ReadOnlyMemory<byte>> _lines;
    private int _staging;
    private bool _folderMade;

    private readonly string _who;
    private readonly bool _includePrompts;

    /// <summary>A log at <paramref name="path"/> written as <paramref name="who"/>, with the prompts and replies when
    /// <paramref name="includePrompts"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="who">Who calls.</param>
    /// <param name="includePrompts">Whether the lines keep the prompts and replies.</param>
    /// <param name="time">The clock of the write-behind's delay (<see cref="Stage"/>); <c>null</c>: no write-behind, every
    /// line is written before its append returns.</param>
    public AuditLog(string path, string who, bool includePrompts, TimeProvider? time = null)
    {
        (Path, _who, _includePrompts) = (path, who, includePrompts);
        // Not retried line by line: a failed write may have written part of the group. Each group is written once, which
        // is what lets Write return the lines' rented buffers.
        _lines = new(Write, retryAlone: false, time);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The log of the state folder <paramref name="getEnv"/> names, for the user it names.</summary>
    public static AuditLog For(Func<string, string?> getEnv, AuditOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        ArgumentNullException.ThrowIfNull(options);
        return new AuditLog(System.IO.Path.Combine(StatePaths.StateDir(getEnv), FileName), Who(getEnv), options.IncludePrompts, time);
    }

    /// <summary><c>SPECSYNTH_USER</c> when set, else the OS user name and the machine name (<c>user@machine</c>).</summary>
    public static string Who(Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        return getEnv(UserVariable) is { Length: > 0 } user ? user.Trim() : Environment.UserName + "@" + Environment.MachineName;
    }

    /// <summary>The SHA-256 (lower-case hex) of <paramref name="messages"/> as sent: of the compact UTF-8 JSON array of
    /// <c>{"role", "text"}</c> objects, one per message in order, exactly as the <c>prompt</c> field writes it.</summary>
    public static string PromptHash(IEnumerable<ChatMessage> messages)
    {
        Span<char> hex = stackalloc char[Sha256BufferWriter.HexLength];
        PromptHash(messages, hex);
        return new string(hex);
    }

    /// <summary>Writes <see cref="PromptHash(IEnumerable{ChatMessage})"/> to <paramref name="destination"/>
    /// (<see cref="Sha256BufferWriter.HexLength"/> characters): the line's field without a string or an array.</summary>
    private static void PromptHash(IEnumerable<ChatMessage> messages, Span<char> destination)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Hashed as it is written: no copy of the document, however long the prompt.
        var sink = t_hashSink ??= new Sha256BufferWriter();
        var json = t_hashJson ??= new Utf8JsonWriter(sink, WriterOptions);
        try
        {
            WriteMessages(json, messages);
            json.Flush();
            sink.HexDigest(destination);
        }
        catch
        {
            sink.Discard();
            throw;
        }
        finally
        {
            json.Reset();
        }
    }

    /// <summary>Appends the line of <paramref name="record"/>; the task completes once the line is written. Lines appended
    /// while the pool is busy go out together (<see cref="GroupCommit{T}"/>): one open, lock and write of whole lines.</summary>
    /// <param name="record">The call.</param>
    /// <param name="messages">The messages as sent.</param>
    /// <param name="reply">The reply text (written only with include_prompts), or <c>null</c> when there is none.</param>
    /// <exception cref="IOException">(In the task) the file stayed locked by others for 10 s, or cannot be written.</exception>
    public Task AppendAsync(UsageRecord record, IReadOnlyList<ChatMessage> messages, string? reply)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(messages);
        return _lines.WriteAsync(Copy(record, messages, reply));
    }

    /// <summary>Appends the line of <paramref name="record"/> without waiting for it (write-behind): it is written with the
    /// lines staged meanwhile <see cref="GroupCommit{T}.StageDelay"/> later, or by <see cref="Flush"/>, <see cref="Dispose"/>
    /// or the process's normal exit; a process killed meanwhile loses it (the crash window: 5 ms of lines). Returns
    /// <c>null</c> when staged, else (too many lines already wait, or the log has no clock) the append's task, as
    /// <see cref="AppendAsync"/>.</summary>
    /// <param name="record">The call.</param>
    /// <param name="messages">The messages as sent.</param>
    /// <param name="reply">The reply text (written only with include_prompts), or <c>null</c> when there is none.</param>
    /// <param name="onFailure">Hears that the staged line could not be written (on the writer's thread; must not throw).</param>
    public Task? Stage(UsageRecord record, IReadOnlyList<ChatMessage> messages, string? reply, Action<Exception> onFailure)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(onFailure);
        var line = Copy(record, messages, reply);
        // Registered before the first line is staged: the process's exit flushes it.
        if (Volatile.Read(ref _staging) == 0 && Interlocked.Exchange(ref _staging, 1) == 0)
        {
            StagedCommits.Add(this, _lines.Flush);
        }
        return _lines.TryStage(line, onFailure) ? null : _lines.WriteAsync(line);
    }

    /// <summary>Writes the staged lines now (every line staged before the call is in the file when it returns; a failure
    /// goes to the lines' callbacks).</summary>
    public void Flush() => _lines.Flush();

    /// <summary>Writes the staged lines (<see cref="Flush"/>) and forgets this log's registration for the process's exit; the
    /// log can still be written to afterwards.</summary>
    public void Dispose()
    {
        _lines.Flush();
        StagedCommits.Remove(this);
        Volatile.Write(ref _staging, 0);
    }

    /// <summary>The line of <paramref name="record"/> in a rented buffer, handed to <see cref="Write"/> (which returns it).</summary>
    private ReadOnlyMemory<byte> Copy(UsageRecord record, IReadOnlyList<ChatMessage> messages, string? reply)
    {
        byte[] copy;
        int length;
        try
        {
            var line = Line(record, messages, reply).WrittenSpan;
            length = line.Length;
            copy = ArrayPool<byte>.Shared.Rent(length);
            line.CopyTo(copy);
        }
        finally
        {
            // A buffer grown by a long line (a long prompt with include_prompts) is not kept.
            ThreadJsonWriter.Release(ref t_line);
        }
        // The rented copy is handed over: Write returns it to the pool once it wrote (or failed to write) the line's group
        // (a group is committed once: no retry line by line), so there is no state machine here to wait and return it.
        return new ReadOnlyMemory<byte>(copy, 0, length);
    }

    /// <summary>Writes <paramref name="lines"/> (<see cref="WriteLocked"/>), then returns their rented buffers to the pool,
    /// written or not.</summary>
    private void Write(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        try
        {
            WriteLocked(lines);
        }
        finally
        {
            // The lines' rented buffers (AppendAsync) go back to the pool: this was their one commit.
            for (var i = 0; i < lines.Count; i++)
            {
                if (MemoryMarshal.TryGetArray(lines[i], out var segment) && segment.Array is { } array)
                {
                    ArrayPool<byte>.Shared.Return(array);
                }
            }
        }
    }

    /// <summary>Writes <paramref name="lines"/> at the end of the file, in order, by one write under the exclusive lock.</summary>
    private void WriteLocked(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        lock (_gate)
        {
            // The folder is made once per log (and again if it went away meanwhile: see the catch below).
            if (!_folderMade)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
                _folderMade = true;
            }
            // The wait is counted, not read from a clock: it is a real sleep, and a fake clock would never reach a deadline.
            var waited = TimeSpan.Zero;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var file = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
                    RandomAccess.Write(file, lines, RandomAccess.GetLength(file));
                    return;
                }
                catch (DirectoryNotFoundException) when (attempt == 1)
                {
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
                }
                catch (IOException ex) when (IsLockConflict(ex) && waited < LockWait)
                {
                    // Another process holds the file for its lines: wait a little and try again.
                    var pause = TimeSpan.FromMilliseconds(Math.Min(50, 1 + attempt));
                    Thread.Sleep(pause);
                    waited += pause;
                }
            }
        }
    }

    /// <summary>Whether opening failed only because another process holds the file (EWOULDBLOCK from <c>flock</c> on
    /// Linux and macOS; a sharing or lock violation on Windows). Other failures (disk full, read-only) are not waited out.</summary>
    private static bool IsLockConflict(IOException ex) =>
        ex.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    /// <summary>The line of <paramref name="r"/>, in this thread's buffer (valid until the thread's next line).</summary>
    private ArrayBufferWriter<byte> Line(UsageRecord r, IReadOnlyList<ChatMessage> messages, string? reply)
    {
        var writer = ThreadJsonWriter.Start(ref t_line, WriterOptions);
        var json = writer.Json;
        json.WriteStartObject();
        // The time as UsageLedger.Stamp writes it, and the prompt's hash, formatted in place (no string per line).
        Span<byte> time = stackalloc byte[UsageLedger.StampBytes];
        json.WriteString("time", time[..UsageLedger.Stamp(r.Time, time)]);
        json.WriteString("who", _who);
        json.WriteString("run_id", r.RunId);
        json.WriteString("operation", r.Operation);
        WriteOptional(json, "spec", r.Spec);
        WriteOptional(json, "project", r.Project);
        json.WriteString("provider", r.Provider);
        json.WriteString("model", r.Model);
        WriteOptional(json, "key_alias", r.KeyAlias);
        json.WriteNumber("input_tokens", r.Tokens.InputTokens);
        json.WriteNumber("output_tokens", r.Tokens.OutputTokens);
        json.WriteNumber("cache_write_tokens", r.Tokens.CacheWriteTokens);
        json.WriteNumber("cache_read_tokens", r.Tokens.CacheReadTokens);
        json.WriteNumber("cost_usd", Math.Round(r.CostUsd, 8));
        json.WriteNumber("latency_ms", Math.Round(r.Latency.TotalMilliseconds, 1));
        json.WriteNumber("retries", r.Retries);
        json.WriteString("outcome", r.Outcome);
        json.WriteBoolean("cache_hit", r.CacheHit);
        Span<char> hash = stackalloc char[Sha256BufferWriter.HexLength];
        PromptHash(messages, hash);
        json.WriteString("prompt_sha256", hash);
        if (_includePrompts)
        {
            json.WritePropertyName("prompt");
            WriteMessages(json, messages);
            // The prompt was redacted on its way out (SpecSynth.Middleware.RedactingChatClient); the reply is redacted here.
            WriteOptional(json, "reply", reply is null ? null : Projects.SecretRedactor.Redact(reply));
        }
        json.WriteEndObject();
        json.Flush();
        writer.Buffer.Write("\n"u8);
        return writer.Buffer;
    }

    private static void WriteMessages(Utf8JsonWriter json, IEnumerable<ChatMessage> messages)
    {
        json.WriteStartArray();
        foreach (var message in messages)
        {
            json.WriteStartObject();
            json.WriteString("role", message.Role.Value);
            json.WritePropertyName("text");
            WriteText(json, message.Text);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Writes <paramref name="text"/> as one JSON string in segments of at most <see cref="SegmentChars"/>
    /// characters (never between the halves of a surrogate pair), so the writer never asks for a buffer sized to the whole
    /// escaped text: the same bytes as one <c>WriteStringValue</c>.</summary>
    private static void WriteText(Utf8JsonWriter json, string text)
    {
        var rest = text.AsSpan();
        while (rest.Length > SegmentChars)
        {
            var take = char.IsHighSurrogate(rest[SegmentChars - 1]) ? SegmentChars - 1 : SegmentChars;
            json.WriteStringValueSegment(rest[..take], isFinalSegment: false);
            rest = rest[take..];
        }
        json.WriteStringValueSegment(rest, isFinalSegment: true);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
