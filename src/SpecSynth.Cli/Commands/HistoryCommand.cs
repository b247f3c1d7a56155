using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpecSynth.History;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth history [SPEC] [--project DIR] [--json]</c>: the project's conversations and their turns (time, spec,
/// provider, model, tokens, files), newest first; <c>history show ID</c>: one conversation with its texts;
/// <c>history clear [SPEC]</c>: deletes the project's conversations (of one spec when given).
/// </summary>
internal static class HistoryCommand
{
    public static Command Create(CliHost host)
    {
        var spec = new Argument<string?>("spec") { Description = "Only the conversations of this spec.", Arity = ArgumentArity.ZeroOrOne };
        var project = ProjectOption();
        var json = JsonOption();
        var command = new Command("history", "List the stored conversations (generate and generate --continue) of the project.")
        {
            spec, project, json, Show(host), Clear(host),
        };
        command.SetAction(async (parse, ct) =>
        {
            var (projectKey, specKey, conversations) = History(host).List(ProjectDir(host, parse.GetValue(project)),
                parse.GetValue(spec) is { } s ? host.FullPath(s) : null);
            if (parse.GetValue(json))
            {
                var shape = new { Project = projectKey, Conversations = conversations.Select(c => ToJson(c, withText: false)) };
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(shape, CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            if (conversations.Count == 0)
            {
                await host.Error.WriteLineAsync($"No conversations{(specKey is null ? "" : " of " + specKey)} in {projectKey}; " +
                    "'specsynth generate SPEC.md' starts one.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            foreach (var conversation in conversations)
            {
                await host.Out.WriteLineAsync(Header(conversation)).ConfigureAwait(false);
                foreach (var turn in conversation.Turns)
                {
                    await host.Out.WriteLineAsync("  " + TurnLine(turn)).ConfigureAwait(false);
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliHost host)
    {
        var id = new Argument<long>("id") { Description = "The conversation id (from 'specsynth history')." };
        var json = JsonOption();
        var command = new Command("show", "Print one conversation with the text of every turn.") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            var conversation = History(host).Get(parse.GetValue(id));
            if (conversation is null)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"There is no conversation {parse.GetValue(id)}; run 'specsynth history' to list the conversations of a project.");
            }
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(ToJson(conversation, withText: true), CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            await host.Out.WriteLineAsync(Header(conversation) + " · project " + conversation.Project).ConfigureAwait(false);
            foreach (var turn in conversation.Turns)
            {
                await host.Out.WriteLineAsync().ConfigureAwait(false);
                await host.Out.WriteLineAsync("--- " + TurnLine(turn, withPreview: false)).ConfigureAwait(false);
                await host.Out.WriteLineAsync(ConversationHistory.TextOf(turn).TrimEnd()).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Clear(CliHost host)
    {
        var spec = new Argument<string?>("spec") { Description = "Only the conversations of this spec.", Arity = ArgumentArity.ZeroOrOne };
        var project = ProjectOption();
        var json = JsonOption();
        var command = new Command("clear", "Delete the project's conversations (of one spec when given).") { spec, project, json };
        command.SetAction(async (parse, ct) =>
        {
            var (projectKey, specKey, deleted) = History(host).Clear(ProjectDir(host, parse.GetValue(project)),
                parse.GetValue(spec) is { } s ? host.FullPath(s) : null);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(new { Project = projectKey, Spec = specKey, Deleted = deleted }, CliJson.Options))
                    .ConfigureAwait(false);
            }
            else
            {
                await host.Error.WriteLineAsync($"Deleted {deleted} conversation{(deleted == 1 ? "" : "s")}{(specKey is null ? "" : " of " + specKey)} " +
                    $"in {projectKey}.").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string?> ProjectOption() =>
        new("--project") { Description = "The project folder whose conversations to use. Default: the current folder." };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print a machine-readable JSON result on stdout." };

    private static ConversationHistory History(CliHost host) => new(host.Time, host.GetEnv);

    /// <summary>The project folder of <c>--project</c> (default: the current folder); a file is refused.</summary>
    private static string ProjectDir(CliHost host, string? project)
    {
        var projectDir = host.FullPath(project ?? ".");
        if (File.Exists(projectDir))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"--project {projectDir} is a file; give the project folder.");
        }
        return projectDir;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Header(Conversation c) =>
        $"conversation {c.Id} · {c.SpecPath} · \"{c.Title}\" · {c.Turns.Count} turn{(c.Turns.Count == 1 ? "" : "s")} · " +
        $"updated {Time(c.UpdatedAt)} · output {c.OutputRoot}";

    private static string TurnLine(ConversationTurn turn, bool withPreview = true)
    {
        var role = turn.IsSummary ? "summary" : turn.Role == TurnRole.User ? "user" : "assistant";
        var line = $"#{turn.Seq} {Time(turn.Time)} {role,-9}";
        if (turn.Provider is not null)
        {
            line += $" {turn.Provider}/{turn.Model} · {turn.InputTokens} in / {turn.OutputTokens} out tokens";
        }
        if (turn.Files.Count > 0)
        {
            line += $" · {turn.Files.Count} file{(turn.Files.Count == 1 ? "" : "s")}: " + string.Join(", ", turn.Files.Take(6)) +
                (turn.Files.Count > 6 ? ", …" : "");
        }
        if (withPreview && turn.Role == TurnRole.User && !turn.IsSummary)
        {
            var first = turn.Text.Split('\n').Last().Trim();
            line += " · " + (first.Length > 80 ? first[..79] + "…" : first);
        }
        return line.TrimEnd();
    }

    private static object ToJson(Conversation c, bool withText) => new
    {
        c.Id,
        Spec = c.SpecPath,
        c.Title,
        c.Project,
        c.OutputRoot,
        c.CreatedAt,
        c.UpdatedAt,
        Turns = c.Turns.Select(t => new TurnView(t.Seq, t.Role == TurnRole.User ? "user" : "assistant", t.IsSummary, t.Time, t.Provider,
            t.Model, t.InputTokens, t.OutputTokens, t.Files, withText ? t.Text : null)),
    };

    /// <summary>The <c>--json</c> shape of a turn; <c>text</c> only in <c>history show</c>.</summary>
    private sealed record TurnView(int Seq, string Role, bool Summary, DateTimeOffset Time, string? Provider, string? Model,
        long InputTokens, long OutputTokens, IReadOnlyList<string> Files,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);
}
