using System.Text;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// What a run of several specs prints on standard output, built as the specs finish (<see cref="GenerateAllRequest.OnSpecDone"/>)
/// instead of from every result at the end: with <c>--json</c> the document <c>{"results": [...], "succeeded", "failed",
/// "events"[, "batches"]}</c> (each result as <see cref="GenerateOutput.ResultJson"/> gives it), with <c>--dry-run</c> each
/// spec's diff, then the summary line. The only writer of that output (<see cref="GenerateOutput.WriteManyAsync"/> feeds it
/// results already known). Each spec's part is written in the order the specs were given to
/// a temporary file (owner-only, never left behind: see Spool), and the file is copied to standard output once the run ended (an
/// interrupted or failed run prints nothing there, as before). So the run holds no spec's result once written: only the
/// specs that finished before an earlier one (until it finishes) and the first failure (for the exit code).
/// </summary>
internal sealed class GenerateStream(bool json, bool dryRun, IReadOnlyList<string> specs) : IAsyncDisposable
{
    private readonly Dictionary<int, GenerateSpecDone> _pending = [];
    private Stream? _spool;
    private Utf8JsonWriter? _writer;
    private int _next;

    /// <summary>The failure of the first spec (in the order given) that failed, or <c>null</c>.</summary>
    public GenerateFailure? FirstFailure { get; private set; }

    /// <summary>Takes one finished spec (never called twice at once) and writes every spec now in order.</summary>
    public ValueTask OnSpecDoneAsync(GenerateSpecDone done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(done);
        _pending.Add(done.Index, done);
        while (_pending.Remove(_next, out var next))
        {
            Write(next);
            _next++;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the output (the JSON document, or the diffs of a dry run) and the summary line.</summary>
    public async Task WriteAsync(CliHost host, GenerateAllResult all, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (json)
        {
            var writer = Writer();
            if (_next == 0)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("results");
            }
            writer.WriteEndArray();
            writer.WriteNumber("succeeded", all.Succeeded);
            writer.WriteNumber("failed", all.Failed);
            writer.WritePropertyName("events");
            JsonSerializer.Serialize(writer, all.Events, CliJson.Options);
            if (all.Batches is { } batches)
            {
                writer.WritePropertyName("batches");
                JsonSerializer.Serialize(writer, batches, CliJson.Options);
            }
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_spool is not null)
        {
            await _spool.FlushAsync(cancellationToken).ConfigureAwait(false);
            _spool.Position = 0;
            using var reader = new StreamReader(_spool, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var buffer = new char[16 * 1024];
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await host.Out.WriteAsync(buffer, 0, read).ConfigureAwait(false);
            }
        }
        if (json)
        {
            await host.Out.WriteLineAsync().ConfigureAwait(false);
            return;
        }
        await host.Error.WriteLineAsync($"{specs.Count - all.Failed} of {specs.Count} specs generated; {all.Failed} failed.").ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Write(GenerateSpecDone done)
    {
        if (done.Failure is { } failure && (FirstFailure is null))
        {
            FirstFailure = failure;
        }
        if (json)
        {
            var writer = Writer();
            if (done.Index == 0)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("results");
            }
            JsonSerializer.Serialize(writer, GenerateOutput.ResultJson(specs[done.Index], done.Result, done.Failure), CliJson.Options);
            writer.Flush();
        }
        else if (dryRun && done.Result is { Diff.Length: > 0 } result)
        {
            var bytes = Encoding.UTF8.GetBytes(result.Diff);
            Spool().Write(bytes);
        }
    }

    private Utf8JsonWriter Writer() => _writer ??= new Utf8JsonWriter(Spool(),
        new JsonWriterOptions { Indented = true, Encoder = CliJson.Options.Encoder });

    /// <summary>The temporary file (in the temporary folder, readable by the user only): on Unix its name is removed as soon
    /// as it is open, so nothing is left behind even when the process is killed; on Windows it is deleted when closed.</summary>
    private Stream Spool()
    {
        if (_spool is null)
        {
            var path = Path.Combine(Path.GetTempPath(), $"specsynth-out-{Guid.NewGuid():N}.tmp");
            if (OperatingSystem.IsWindows())
            {
                _spool = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.ReadWrite,
                    Options = FileOptions.DeleteOnClose,
                });
            }
            else
            {
                _spool = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.ReadWrite,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                File.Delete(path);
            }
        }
        return _spool;
    }
}
