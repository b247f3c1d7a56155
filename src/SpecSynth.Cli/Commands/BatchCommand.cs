using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth batch list|status ID|resume [ID]|cancel ID</c>: the batches <c>generate --batch</c> submitted (stored in the
/// state folder). <c>resume</c> polls a batch and writes what finished (specs already written are skipped; nothing running
/// is submitted again; <c>--retry-failed</c> resubmits errored, expired and canceled requests); <c>cancel</c> asks the
/// provider to stop it.
/// </summary>
internal static class BatchCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("batch", "List, inspect, resume or cancel the batches of generate --batch.");
        command.Add(List(host));
        command.Add(Status(host));
        command.Add(Resume(host));
        command.Add(Cancel(host));
        return command;
    }

    private static Option<bool> Json() => new("--json") { Description = "Print a machine-readable JSON result on stdout." };

    private static Command List(CliHost host)
    {
        var json = Json();
        var command = new Command("list", "List the stored batches, newest first.") { json };
        command.SetAction(async (parse, ct) =>
        {
            var batches = BatchAdmin.List(host.GetEnv);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(new { Batches = batches }, CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            if (batches.Count == 0)
            {
                await host.Error.WriteLineAsync("No batches; 'specsynth generate SPECS... --batch' submits one.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            foreach (var b in batches)
            {
                await host.Out.WriteLineAsync(Line(b)).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliHost host)
    {
        var id = BatchId();
        var json = Json();
        var command = new Command("status", "Show one batch and the state of each spec's request.") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            var batch = BatchAdmin.Get(parse.GetRequiredValue(id), host.GetEnv)
                ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"no batch '{parse.GetRequiredValue(id)}' (specsynth batch list shows them)");
            await host.Out.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(batch, CliJson.Options) : Detail(batch)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Resume(CliHost host)
    {
        var id = new Argument<string?>("id") { Description = "The batch; default: the newest with specs not written.", Arity = ArgumentArity.ZeroOrOne };
        RejectBlank(id);
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Submit the errored, expired and canceled requests again (a new batch)." };
        var json = Json();
        var command = new Command("resume", "Poll a batch and write the specs whose results are in (each spec once).") { id, retryFailed, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(id) ?? BatchAdmin.List(host.GetEnv).FirstOrDefault(b => b.Specs.Any(s => s.State is not ("written" or "resubmitted")))?.Id
                ?? throw new SpecSynthException(ErrorKind.InvalidInput, "no batch left to resume (specsynth batch list shows them)");
            var asJson = parse.GetValue(json);
            GenerateAllResult all;
            using (var view = new RunEventView(host, asJson, several: true))
            {
                try
                {
                    all = await CliServices.Synthesizer(host).GenerateAllAsync(new GenerateAllRequest
                    {
                        Specs = [],
                        ResumeBatch = name,
                        RetryFailed = parse.GetValue(retryFailed),
                        Options = new GenerateRequest { Progress = view, Stream = false },
                    }, ct).ConfigureAwait(false);
                }
                catch (BatchInterruptedException ex)
                {
                    throw new RunInterruptedException(ex.Message, ex.CancellationToken);
                }
            }
            var names = all.Results.Select((r, i) => r?.Spec ?? all.Failures[i]?.Spec ?? "").ToList();
            await GenerateOutput.WriteManyAsync(host, asJson, false, names, all).ConfigureAwait(false);
            return all.Failures.FirstOrDefault(f => f is not null) is { } failed ? ExitCodes.For(failed.Kind) : ExitCodes.Ok;
        });
        return command;
    }

    private static Command Cancel(CliHost host)
    {
        var id = BatchId();
        var json = Json();
        var command = new Command("cancel", "Ask the provider to cancel a batch; 'batch resume' then collects what finished.") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            var batch = await BatchAdmin.CancelAsync(parse.GetRequiredValue(id), host.GetEnv, ct).ConfigureAwait(false);
            await host.Out.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(batch, CliJson.Options) : Line(batch)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> BatchId()
    {
        var id = new Argument<string>("id") { Description = "The batch (specsynth's id or the provider's)." };
        RejectBlank(id);
        return id;
    }

    /// <summary>An empty or blank id names no batch: a usage error (exit 2), not a lookup.</summary>
    private static void RejectBlank(Argument argument) =>
        argument.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                r.AddError("The batch id is empty: give the id 'specsynth batch list' shows.");
            }
        });

    private static string Line(BatchInfo b) => string.Create(CultureInfo.InvariantCulture,
        $"{b.Id}  {b.Provider} {b.RemoteId ?? "(not accepted)"}  {b.Status}  {b.CreatedAt:yyyy-MM-dd HH:mm}Z  " +
        $"{b.Specs.Count(s => s.State == "written")}/{b.Specs.Count} written  {b.Project}");

    private static string Detail(BatchInfo b)
    {
        var text = new StringBuilder(Line(b)).Append('\n');
        foreach (var s in b.Specs)
        {
            text.Append("  ").Append(s.State.PadRight(10)).Append(' ').Append(s.Spec).Append("  ").Append(s.CustomId);
            if (s.Error is { } error)
            {
                text.Append("\n    ").Append(error.ReplaceLineEndings(" "));
            }
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }
}
