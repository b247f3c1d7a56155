using System.Buffers;
using System.Runtime.InteropServices;
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

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    // Per thread: the prompt hash's writer and the line's writer, reused from line to line (issue 19: a new SHA-256 context,
    // JSON writers and a growing MemoryStream copied out were a visible share of each request; then the JSON writer's
    // escaping, RelaxedJsonBytes).
    [ThreadStatic]
    private static RelaxedJsonBytes? t_hash;

    [ThreadStatic]
    private static RelaxedJsonBytes? t_line;

    private readonly Lock _gate = new();
    private readonly GroupCommit<ReadOnlyMemory<byte>> _lines;
    private int _staging;
    private bool _folderMade;

    private readonly byte[] _whoJson;
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
        (Path, _includePrompts) = (path, includePrompts);
        // The same on every line: encoded once.
        _whoJson = Encoded(who);
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
        Span<char> hex = stackalloc char[RelaxedJsonBytes.HexLength];
        PromptHash(messages, hex);
        return new string(hex);
    }

    /// <summary>Writes <see cref="PromptHash(IEnumerable{ChatMessage})"/> to <paramref name="destination"/>
    /// (<see cref="RelaxedJsonBytes.HexLength"/> characters): the line's field without a string or an array.</summary>
    private static void PromptHash(IEnumerable<ChatMessage> messages, Span<char> destination)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Hashed as it is written: no copy of the document, however long the prompt.
        var sink = RelaxedJsonBytes.ForHash(ref t_hash);
        try
        {
            WriteMessages(sink, messages);
            sink.HexDigest(destination);
        }
        catch
        {
            sink.Discard();
            throw;
        }
    }

    /// <summary><paramref name="value"/> as a JSON string (quoted, escaped as the line escapes it), or <c>null</c>.</summary>
    private static byte[] Encoded(string? value)
    {
        RelaxedJsonBytes? writer = null;
        var json = RelaxedJsonBytes.Start(ref writer);
        json.StringOrNull(value);
        return json.Written.ToArray();
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
            var line = Line(record, messages, reply).Written;
            length = line.Length;
            copy = ArrayPool<byte>.Shared.Rent(length);
            line.CopyTo(copy);
        }
        finally
        {
            // A buffer grown by a long line (a long prompt with include_prompts) is not kept.
            RelaxedJsonBytes.Release(ref t_line);
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

    /// <summary>The line of <paramref name="r"/>, in this thread's buffer (valid until the thread's next line): the bytes
    /// a <c>Utf8JsonWriter</c> with the relaxed encoder (<c>JavaScriptEncoder.UnsafeRelaxedJsonEscaping</c>) writes for these fields, written straight
    /// (<see cref="RelaxedJsonBytes"/>; the property names are constants, "who" is encoded once per log).</summary>
    private RelaxedJsonBytes Line(UsageRecord r, IReadOnlyList<ChatMessage> messages, string? reply)
    {
        var line = RelaxedJsonBytes.Start(ref t_line);
        line.Raw("{\"time\":\""u8);
        // The time as UsageLedger.Stamp writes it (ASCII digits and punctuation), and the prompt's hash, in place.
        line.Advance(UsageLedger.Stamp(r.Time, line.Reserve(UsageLedger.StampBytes)));
        line.Raw("\",\"who\":"u8);
        line.Raw(_whoJson);
        line.Raw(",\"run_id\":"u8);
        line.String(r.RunId);
        line.Raw(",\"operation\":"u8);
        line.String(r.Operation);
        line.Raw(",\"spec\":"u8);
        line.StringOrNull(r.Spec);
        line.Raw(",\"project\":"u8);
        line.StringOrNull(r.Project);
        line.Raw(",\"provider\":"u8);
        line.String(r.Provider);
        line.Raw(",\"model\":"u8);
        line.String(r.Model);
        line.Raw(",\"key_alias\":"u8);
        line.StringOrNull(r.KeyAlias);
        line.Raw(",\"input_tokens\":"u8);
        line.Number(r.Tokens.InputTokens);
        line.Raw(",\"output_tokens\":"u8);
        line.Number(r.Tokens.OutputTokens);
        line.Raw(",\"cache_write_tokens\":"u8);
        line.Number(r.Tokens.CacheWriteTokens);
        line.Raw(",\"cache_read_tokens\":"u8);
        line.Number(r.Tokens.CacheReadTokens);
        line.Raw(",\"cost_usd\":"u8);
        line.Number(Math.Round(r.CostUsd, 8));
        line.Raw(",\"latency_ms\":"u8);
        line.Number(Math.Round(r.Latency.TotalMilliseconds, 1));
        line.Raw(",\"retries\":"u8);
        line.Number(r.Retries);
        line.Raw(",\"outcome\":"u8);
        line.String(r.Outcome);
        line.Raw(",\"cache_hit\":"u8);
        line.Boolean(r.CacheHit);
        line.Raw(",\"prompt_sha256\":\""u8);
        Span<char> hash = stackalloc char[RelaxedJsonBytes.HexLength];
        PromptHash(messages, hash);
        line.Advance(System.Text.Encoding.ASCII.GetBytes(hash, line.Reserve(hash.Length)));
        line.Raw("\""u8);
        if (_includePrompts)
        {
            line.Raw(",\"prompt\":"u8);
            WriteMessages(line, messages);
            // The prompt was redacted on its way out (SpecSynth.Middleware.RedactingChatClient); the reply is redacted here.
            line.Raw(",\"reply\":"u8);
            line.StringOrNull(reply is null ? null : Projects.SecretRedactor.Redact(reply));
        }
        line.Raw("}\n"u8);
        return line;
    }

    /// <summary>Writes <paramref name="messages"/> as the compact JSON array of <c>{"role", "text"}</c> objects.</summary>
    private static void WriteMessages(RelaxedJsonBytes json, IEnumerable<ChatMessage> messages)
    {
        json.Raw("["u8);
        var first = true;
        if (messages is IReadOnlyList<ChatMessage> list)
        {
            // An index loop over a list (every prompt's case): no enumerator.
            for (var i = 0; i < list.Count; i++)
            {
                WriteMessage(json, list[i], ref first);
            }
        }
        else
        {
            foreach (var message in messages)
            {
                WriteMessage(json, message, ref first);
            }
        }
        json.Raw("]"u8);
    }

    private static void WriteMessage(RelaxedJsonBytes json, ChatMessage message, ref bool first)
    {
        json.Raw(first ? "{\"role\":"u8 : ",{\"role\":"u8);
        first = false;
        json.String(message.Role.Value);
        json.Raw(",\"text\":"u8);
        json.String(message.Text);
        json.Raw("}"u8);
    }
}
