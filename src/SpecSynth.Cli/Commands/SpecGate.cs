using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Before <c>generate</c> sends anything: prints each spec's warnings on stderr (what <c>spec check</c> reports) and
/// refuses a spec that is still an unfilled template (exit 2) unless <c>--allow-template</c>.
/// </summary>
internal static class SpecGate
{
    public static async Task CheckAsync(CliHost host, IReadOnlyList<(string Path, Specification Spec)> specs, bool allowTemplate)
    {
        foreach (var (path, spec) in specs)
        {
            foreach (var warning in spec.Warnings.Where(w => w.Code != "unfilled-template" || allowTemplate))
            {
                await host.Error.WriteLineAsync($"warning: {path}: {warning.Message}").ConfigureAwait(false);
            }
        }
        var template = specs.FirstOrDefault(s => s.Spec.IsUnfilledTemplate);
        if (!allowTemplate && template.Spec is { } unfilled)
        {
            var reason = unfilled.Warnings.First(w => w.Code == "unfilled-template").Message;
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"{template.Path}: nothing was generated. {reason} ('specsynth spec check {template.Path}' lists the placeholders.)");
        }
    }
}
