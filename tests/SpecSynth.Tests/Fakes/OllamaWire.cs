using System.Text;

namespace SpecSynth.Tests.Fakes;

/// <summary>Ollama native bodies: NDJSON chat stream, JSON chat, tags, show, errors.</summary>
internal static class OllamaWire
{
    private const string Done = """{"model":@model@,"created_at":"2026-11-25T08:41:42.12Z","message":{"role":"assistant","content":@text@},"done_reason":@reason@,"done":true,"total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":@prompt@,"prompt_eval_duration":383809000,"eval_count":@eval@,"eval_duration":4799921000}""";

    public static FakeResponse Stream(IReadOnlyList<string> deltas, string doneReason = "stop", long prompt = 31,
        long eval = 57, string model = "qwen2.5-coder:7b")
    {
        var nd = new StringBuilder();
        foreach (var delta in deltas)
        {
            nd.Append(Template.Fill("""{"model":@model@,"created_at":"2026-11-25T08:41:40.01Z","message":{"role":"assistant","content":@text@},"done":false}""",
                ("model", model), ("text", delta))).Append('\n');
        }
        nd.Append(Template.Fill(Done, ("model", model), ("text", ""), ("reason", doneReason), ("prompt", prompt), ("eval", eval))).Append('\n');
        return FakeResponse.Ndjson(nd.ToString());
    }

    public static FakeResponse Json(string text, string doneReason = "stop", long prompt = 31, long eval = 57, string model = "qwen2.5-coder:7b") =>
        FakeResponse.Text(200, "application/json; charset=utf-8",
            Template.Fill(Done, ("model", model), ("text", text), ("reason", doneReason), ("prompt", prompt), ("eval", eval)));

    public static FakeResponse Error(int status, string message) =>
        FakeResponse.Json(Template.Fill("""{"error":@message@}""", ("message", message)), status);

    public static FakeResponse Tags(params string[] names) =>
        FakeResponse.Json("""{"models":[""" + string.Join(",", names.Select(n => Template.Fill(
            """{"name":@name@,"model":@name@,"size":1,"digest":"9f1e","details":{"format":"gguf","family":"llama"}}""", ("name", n)))) + "]}");

    public static FakeResponse Show(string arch, int contextLength, string parameters = "") =>
        FakeResponse.Json(Template.Fill("""{"license":"x","modelfile":"FROM x","parameters":@parameters@,"template":"x","details":{"format":"gguf","family":@arch@},"model_info":{"general.architecture":@arch@,"general.parameter_count":8030261248,"@archname@.context_length":@length@,"@archname@.embedding_length":4096},"capabilities":["completion","tools"]}""",
            ("parameters", parameters), ("arch", arch), ("length", contextLength)).Replace("@archname@", arch, StringComparison.Ordinal));
}
