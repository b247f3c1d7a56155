using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth spec check SPEC… [--json]</c>: what specsynth understands of each spec (title, language and framework
/// with evidence, requirements with ids, tasks, referenced paths, sections) and the warnings a reader would give
/// (no requirements, template placeholders, clarification markers, TODOs, contradictory language hints). No model is
/// called and nothing is written; exit 0 even with warnings, 2 when a spec cannot be read.
/// </summary>
internal static class SpecCommand
{
    public static Command Create(CliHost host)
    {
        var specs = new Argument<string[]>("spec") { Description = "The specification(s) (markdown) to check.", Arity = ArgumentArity.OneOrMore };
        CommonOptions.RejectOptionLikeValues(specs);
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"specs\": [...]}." };
        var check = new Command("check", "Show what specsynth understands of a spec (title, language, framework, requirements) and what is missing.")
        {
            specs, json,
        };
        check.SetAction(async (parse, ct) =>
        {
            var views = new List<SpecUnderstanding.CheckView>();
            foreach (var path in parse.GetRequiredValue(specs))
            {
                var spec = await SpecParser.ParseFileAsync(host.FullPath(path), ct).ConfigureAwait(false);
                views.Add(SpecUnderstanding.Check(path, spec));
            }
            var text = parse.GetValue(json)
                ? JsonSerializer.Serialize(new { Specs = views }, CliJson.Options)
                : string.Join("\n", views.Select(Text));
            await host.Out.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("spec", "Inspect specifications without calling a model.") { check };
    }

    private static string Text(SpecUnderstanding.CheckView view)
    {
        var u = view.Understood;
        var sb = new StringBuilder();
        sb.Append(view.Spec).Append('\n');
        sb.Append("  title        ").Append(u.Title).Append(" (").Append(u.TitleSource).Append(")\n");
        sb.Append("  language     ").Append(SpecUnderstanding.Tech(u.Language, u.OtherLanguages, u.LanguageSource, u.LanguageEvidence)).Append('\n');
        sb.Append("  framework    ").Append(SpecUnderstanding.Tech(u.Framework, [], u.FrameworkSource, u.FrameworkEvidence)).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"  requirements {view.Requirements.Count}\n");
        foreach (var r in view.Requirements)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    {r.Line,5}  {(r.Id is null ? "" : r.Id + ": ")}{Short(r.Text)}\n");
        }
        if (view.Tasks.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  tasks        {view.Tasks.Count} ({view.Tasks.Count(t => t.Done)} done; not requirements)\n");
        }
        sb.Append("  paths        ").Append(view.ReferencedPaths.Count == 0 ? "(none)" : string.Join(", ", view.ReferencedPaths)).Append('\n');
        sb.Append("  sections     ").Append(view.Sections.Count == 0 ? "(none)" : string.Join(" · ", view.Sections.Where(s => s.Level <= 2).Select(s => s.Heading))).Append('\n');
        foreach (var warning in u.Warnings)
        {
            sb.Append("  warning: ").Append(warning.Message).Append('\n');
        }
        if (u.Warnings.Count == 0)
        {
            sb.Append("  no warnings\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static string Short(string text) => text.Length <= 110 ? text : text[..109] + "…";
}
