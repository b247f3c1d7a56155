using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>Before generate sends anything: reports each spec's warnings and refuses a spec that is still an unfilled
/// template unless <c>AllowTemplate</c>.</summary>
internal static class SpecGate
{
    public static void Check(EventSink sink, IReadOnlyList<(string Path, Specification Spec)> specs, bool allowTemplate)
    {
        // One pass: a many-spec run's specs are unpacked each time they are read (CheckedSpecs).
        (string Path, Specification? Spec) template = default;
        foreach (var (path, spec) in specs)
        {
            foreach (var warning in spec.Warnings.Where(w => w.Code != "unfilled-template" || allowTemplate))
            {
                sink.Warning($"{path}: {warning.Message}");
            }
            if (template.Spec is null && spec.IsUnfilledTemplate)
            {
                template = (path, spec);
            }
        }
        if (!allowTemplate && template.Spec is { } unfilled)
        {
            var reason = unfilled.Warnings.First(w => w.Code == "unfilled-template").Message;
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"{template.Path}: nothing was generated. {reason} ('specsynth spec check {template.Path}' lists the placeholders.)");
        }
    }
}
