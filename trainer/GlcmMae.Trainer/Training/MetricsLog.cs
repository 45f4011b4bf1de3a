using System.Text.Json;
using System.Text.Json.Serialization;
using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Training;

/// <summary>Appends one JSON object per line to <c>metrics.jsonl</c>: a run line, a line per optimiser step, epoch lines.</summary>
internal sealed class MetricsLog : IPretrainObserver, IDisposable
{
    /// <summary>File name inside the run folder.</summary>
    public const string FileName = "metrics.jsonl";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly StreamWriter _writer;

    public MetricsLog(string runFolder)
    {
        Directory.CreateDirectory(runFolder);
        _writer = new StreamWriter(Path.Combine(runFolder, FileName), append: true) { AutoFlush = true };
    }

    public void RunStarted(PretrainPlan plan) => Write("run", plan);

    public void EpochStarted(int epoch, int epochs, int steps)
    {
    }

    public void StepCompleted(StepMetrics metrics) => Write("step", metrics);

    public void EpochCompleted(EpochMetrics metrics) => Write("epoch", metrics);

    public void Message(string text) => Write("message", new { text });

    public void Dispose() => _writer.Dispose();

    /// <summary>Reads the step lines of a metrics file; after a resume, a repeated step keeps its latest line.</summary>
    public static IReadOnlyList<StepMetrics> ReadSteps(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        var steps = new List<StepMetrics>();
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.GetProperty("type").GetString() == "step")
            {
                steps.Add(document.RootElement.GetProperty("data").Deserialize<StepMetrics>(Options)!);
            }
        }

        return steps.GroupBy(s => s.Step).Select(g => g.Last()).OrderBy(s => s.Step).ToArray();
    }

    private void Write<T>(string type, T data) =>
        _writer.WriteLine(JsonSerializer.Serialize(new { type, time = DateTimeOffset.UtcNow, data }, Options));
}
