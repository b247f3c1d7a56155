using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>Before generate sends anything: reports each spec's warnings and refuses a spec that is still an unfilled
/// template unless <c>AllowTemplate</c>. The specs are added as they are parsed (a many-spec run keeps none of them
/// parsed, see <see cref="CheckedSpecs"/>); what the gate keeps is their warnings' lines and the first template's name.</summary>
internal sealed class SpecGate(bool allowTemplate)
{
    private List<string>? _warnings;
    private (string Path, string Reason)? _template;

    /// <summary>Checks the specs of a run at once: <see cref="Add"/> each, then <see cref="Report"/>.</summary>
    public static void Check(EventSink sink, IReadOnlyList<(string Path, Specification Spec)> specs, bool allowTemplate)
    {
        var gate = new SpecGate(allowTemplate);
        foreach (var (path, spec) in specs)
        {
            gate.Add(path, spec);
        }
        gate.Report(sink);
    }

    /// <summary>Notes a parsed spec's warnings and whether it is the first unfilled template.</summary>
    public void Add(string path, Specification spec)
    {
        foreach (var warning in spec.Warnings)
        {
            if (warning.Code != "unfilled-template" || allowTemplate)
            {
                (_warnings ??= []).Add($"{path}: {warning.Message}");
            }
        }
        if (!allowTemplate && _template is null && spec.IsUnfilledTemplate)
        {
            _template = (path, spec.Warnings.First(w => w.Code == "unfilled-template").Message);
        }
    }

    /// <summary>Reports the warnings in the order the specs were added, then refuses the first unfilled template.</summary>
    /// <exception cref="SpecSynthException">A spec is an unfilled template and templates are not allowed.</exception>
    public void Report(EventSink sink)
    {
        foreach (var line in _warnings ?? [])
        {
            sink.Warning(line);
        }
        if (_template is { } template)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"{template.Path}: nothing was generated. {template.Reason} ('specsynth spec check {template.Path}' lists the placeholders.)");
        }
    }
}
