using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SpecSynth.Output;
using SpecSynth.Providers;
using SpecSynth.Usage;

namespace SpecSynth.Cli.Mcp;

/// <summary>Runs one tool call: arguments to a request of the public service, its result to structured content plus a short
/// text; a failure to a tool error (<c>isError</c>) with <c>{"error": {kind, message, exit_code}}</c>.</summary>
internal sealed class McpToolCalls(ISpecSynthesizer synthesizer, ProjectFolder project, Func<string, string?> getEnv, TimeProvider time,
    TextWriter log)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly DryRunStore _dryRuns = new(SpecSynthConfiguration.StateDirectory(getEnv));

    /// <summary>The last call's structured result (JSON), for the <c>specsynth://last-result</c> resource.</summary>
    public string? LastResult { get; private set; }

    public async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name ?? "";
        var args = new McpArguments(request.Params?.Arguments);
        var progress = new McpProgress(request.Server, request.Params?.ProgressToken, log);
        CallToolResult result;
        try
        {
            var (json, text) = name switch
            {
                "context" => await ContextAsync(args, progress, cancellationToken).ConfigureAwait(false),
                "generate" => await GenerateAsync(args, progress, cancellationToken).ConfigureAwait(false),
                "apply" => await ApplyAsync(args, cancellationToken).ConfigureAwait(false),
                "undo" => await UndoAsync(args, cancellationToken).ConfigureAwait(false),
                "explain" => await ExplainAsync(args, progress, cancellationToken).ConfigureAwait(false),
                "review" => await ReviewAsync(args, progress, cancellationToken).ConfigureAwait(false),
                "usage" => Usage(args),
                "models" => await ModelsAsync(args, cancellationToken).ConfigureAwait(false),
                _ => throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"Unknown tool '{name}'; the tools are {string.Join(", ", McpTools.All.Select(t => t.Name))}."),
            };
            result = Result(json, text, isError: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SpecSynthException ex)
        {
            result = Error(ExitCodes.For(ex.Kind), ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            result = Error(ExitCodes.BadInput, $"{ex.Message.TrimEnd('.')}. Check that the state folder {SpecSynthConfiguration.StateDirectory(getEnv)} " +
                "(SPECSYNTH_HOME) and the project folder are writable and the disk is not full.");
        }
#pragma warning disable CA1031 // One misbehaving call must not take the server down: a bug of ours is a tool error too.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await log.WriteLineAsync($"error: internal error in tool '{name}': {ex}").ConfigureAwait(false);
            result = Error(ExitCodes.InternalError, $"internal error ({ex.GetType().Name}: {ex.Message}). Please report it.");
        }
        await progress.FlushAsync().ConfigureAwait(false);
        LastResult = result.StructuredContent?.GetRawText();
        return result;
    }

    private static CallToolResult Result(JsonObject json, string text, bool isError) => new()
    {
        IsError = isError ? true : null,
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(json),
    };

    private static CallToolResult Error(int exitCode, string message)
    {
        message = Redaction.Redact(message);
        var kind = ExitCodes.Name(exitCode);
        var error = new JsonObject { ["kind"] = kind, ["message"] = message, ["exit_code"] = exitCode };
        return Result(new JsonObject { ["error"] = error }, $"error ({kind}): {message}", isError: true);
    }

    private async Task<(JsonObject, string)> ContextAsync(McpArguments args, McpProgress progress, CancellationToken cancellationToken)
    {
        var result = await synthesizer.ContextAsync(new ContextRequest
        {
            SpecPath = project.Confine(args.RequiredString("spec"), "spec"),
            ProjectRoot = project.Root,
            OutputRoot = Out(args),
            Providers = args.String("provider"),
            Model = args.String("model"),
            Budget = args.Int("budget") is { } budget ? (budget > 0 ? budget : throw Bad("'budget' must be a positive number of tokens.")) : null,
            ShowPrompt = args.Bool("show_prompt", false),
            Progress = progress,
        }, cancellationToken).ConfigureAwait(false);
        var json = SpecSynthMcpServer.ToJson(result);
        return (json, $"Context planned for {args.RequiredString("spec")} (full plan in the structured result).");
    }

    private async Task<(JsonObject, string)> GenerateAsync(McpArguments args, McpProgress progress, CancellationToken cancellationToken)
    {
        var (spec, text) = (args.String("spec"), args.String("spec_text"));
        if ((spec is null) == (text is null))
        {
            throw Bad("Give the spec: 'spec' (a file in the project) or 'spec_text', not both.");
        }
        var rounds = args.Int("repair_rounds") ?? 2;
        if (rounds is < 0 or > 10)
        {
            throw Bad("'repair_rounds' must be from 0 to 10.");
        }
        var dryRun = args.Bool("dry_run", true);
        var editFormat = args.String("edit_format");
        if (editFormat is not null and not ("auto" or "whole" or "edit"))
        {
            throw Bad("'edit_format' must be auto, whole or edit.");
        }
        GenerateResult result;
        // Writes (and the dry runs apply will compare against) are serialised within the session.
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            result = await synthesizer.GenerateAsync(new GenerateRequest
            {
                SpecPath = spec is null ? null : project.Confine(spec, "spec"),
                SpecText = text,
                SpecName = args.String("spec_name"),
                ProjectRoot = project.Root,
                OutputRoot = Out(args) ?? project.Root,
                DryRun = dryRun,
                Continue = args.String("continue"),
                RepairRounds = rounds,
                SelfReview = args.Bool("self_review", false),
                EditFormat = editFormat,
                Providers = args.String("provider"),
                Model = args.String("model"),
                MaxCost = MaxCost(args),
                Progress = progress,
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
        var json = SpecSynthMcpServer.ToJson(result);
        json["diff"] = result.Diff;
        var summary = new StringBuilder();
        if (result.Status == GenerateStatus.DryRun)
        {
            var id = await _dryRuns.SaveAsync(project.Root, result, cancellationToken).ConfigureAwait(false);
            json["dry_run_id"] = id;
            summary.Append(CultureInfo.InvariantCulture, $"Dry run {id}: nothing written. ");
        }
        else
        {
            summary.Append(CultureInfo.InvariantCulture, $"Written (journal run {result.JournalRun ?? "none: nothing changed"}; undo restores it). ");
        }
        summary.AppendJoin(", ", result.Files.Select(f => $"{f.Action.ToString().ToLowerInvariant()} {f.Path}"));
        summary.Append(CultureInfo.InvariantCulture, $". {result.Provider} {result.Model}, ${result.CostUsd}.");
        if (result.Status == GenerateStatus.DryRun)
        {
            summary.Append(" Show the diff to the person; apply the dry_run_id to write exactly these files.\n\n").Append(result.Diff);
        }
        return (json, summary.ToString());
    }

    private async Task<(JsonObject, string)> ApplyAsync(McpArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequiredString("dry_run_id");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await _dryRuns.LoadAsync(id, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(Path.GetFullPath(stored.Project), project.Root, StringComparison.Ordinal) || !project.Contains(stored.OutputRoot))
            {
                throw Bad($"The dry run '{id}' was made for another project ({stored.Project}); apply it from a server for that project.");
            }
            var applied = await DryRunPlan.ApplyAsync(stored.OutputRoot, stored.Files, time, getEnv, cancellationToken).ConfigureAwait(false);
            _dryRuns.Remove(id);
            var json = SpecSynthMcpServer.ToJson(applied);
            json["dry_run_id"] = id;
            json["spec"] = stored.Spec;
            return (json, $"Applied dry run {id} in {applied.OutputRoot}: created {applied.Created.Count}, modified {applied.Modified.Count} files " +
                $"(journal run {applied.JournalRun ?? "none: nothing changed"}; undo restores it).");
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<(JsonObject, string)> UndoAsync(McpArguments args, CancellationToken cancellationToken)
    {
        var force = args.Bool("force", false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var journal = new WriteJournal(SpecSynthConfiguration.StateDirectory(getEnv), time) { OnWarning = w => log.WriteLine("warning: " + w) };
            var last = (await journal.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Status != JournalRunStatus.Undone)
                ?? throw Bad("Nothing to undo: every recorded run is already undone.");
            if (!project.Contains(last.OutputRoot))
            {
                throw Bad($"The last writing run ({last.RunId}) wrote to {last.OutputRoot}, outside this project; undo it with `specsynth undo` there.");
            }
            var undone = await journal.UndoLastAsync(force, cancellationToken).ConfigureAwait(false);
            return (SpecSynthMcpServer.ToJson(undone), $"Undid run {undone.RunId} in {undone.OutputRoot}: deleted {undone.DeletedFiles.Count} created " +
                $"files, restored {undone.RestoredFiles.Count} modified files.");
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<(JsonObject, string)> ExplainAsync(McpArguments args, McpProgress progress, CancellationToken cancellationToken)
    {
        var result = await synthesizer.ExplainAsync(new ExplainRequest
        {
            Files = Files(args),
            SpecPath = args.String("spec") is { } spec ? project.Confine(spec, "spec") : null,
            ProjectRoot = project.Root,
            Providers = args.String("provider"),
            Model = args.String("model"),
            MaxCost = MaxCost(args),
            Progress = progress,
        }, cancellationToken).ConfigureAwait(false);
        return (SpecSynthMcpServer.ToJson(result), result.Text);
    }

    private async Task<(JsonObject, string)> ReviewAsync(McpArguments args, McpProgress progress, CancellationToken cancellationToken)
    {
        var result = await synthesizer.ReviewAsync(new ReviewRequest
        {
            Files = Files(args),
            RequirementsPath = args.String("spec") is { } spec ? project.Confine(spec, "spec") : null,
            ProjectRoot = project.Root,
            Providers = args.String("provider"),
            Model = args.String("model"),
            MaxCost = MaxCost(args),
            Progress = progress,
        }, cancellationToken).ConfigureAwait(false);
        return (SpecSynthMcpServer.ToJson(result), result.Summary);
    }

    private (JsonObject, string) Usage(McpArguments args)
    {
        var since = args.String("since") is { } text ? UsageReport.ParseSince(text, time) : (DateTimeOffset?)null;
        var by = args.String("by") is { } name
            ? Enum.TryParse<UsageGrouping>(name, ignoreCase: true, out var g) && !int.TryParse(name, out _) ? g
                : throw Bad("'by' must be provider, model, day, spec or operation.")
            : (UsageGrouping?)null;
        var folder = args.Bool("all_projects", false) ? null : project.Root;
        var report = UsageReport.Query(since, by, folder, getEnv);
        var json = SpecSynthMcpServer.ToJson(report);
        json["since"] = since?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        json["project"] = folder;
        return (json, string.Create(CultureInfo.InvariantCulture,
            $"{report.Total.Requests} requests, {report.Total.InputTokens} input and {report.Total.OutputTokens} output tokens, ${report.Total.CostUsd}."));
    }

    /// <summary>The catalog's models (and the project's <c>[models."ID"]</c> overrides), through the same listing as
    /// <c>specsynth models --offline</c>; the server asks no provider.</summary>
    private async Task<(JsonObject, string)> ModelsAsync(McpArguments args, CancellationToken cancellationToken)
    {
        var config = SpecSynthConfiguration.Load(project.Root, getEnv);
        var list = await ModelListing.ListAsync(config, args.String("provider"), askProviders: false, getEnv, cancellationToken).ConfigureAwait(false);
        return (SpecSynthMcpServer.ToJson(new { list.Models, list.PricesChecked }), string.Join(", ", list.Models.Select(m => $"{m.Provider}:{m.Id}")));
    }

    private string? Out(McpArguments args) => args.String("out") is { } dir ? project.Confine(dir, "out") : null;

    private IReadOnlyList<string> Files(McpArguments args)
    {
        var files = args.StringList("files");
        return files.Count == 0 ? throw Bad("'files' is required: the code files to read.") : [.. files.Select(f => project.Confine(f, "files"))];
    }

    private static decimal? MaxCost(McpArguments args) =>
        args.Decimal("max_cost") is { } cost ? (cost >= 0 ? cost : throw Bad("'max_cost' must not be negative.")) : null;

    private static SpecSynthException Bad(string message) => new(ErrorKind.InvalidInput, message);
}
