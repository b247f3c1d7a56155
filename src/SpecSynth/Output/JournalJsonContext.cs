using System.Text.Json.Serialization;

namespace SpecSynth.Output;

/// <summary>Source-generated JSON for journal manifests.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(JournalManifest))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
