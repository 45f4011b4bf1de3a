using GlcmMae.Trainer.Benchmarks.Pipeline;

namespace GlcmMae.Trainer.Tests.Benchmarks.Pipeline;

public sealed class PipelineLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private static RehearsalUpload Upload(string name, bool corrupt = false) => new(name, corrupt, T0);

    private static RehearsalOutcome Result(string name, string model = "v1") => new(name, "scans", model, null, T0.AddSeconds(1));

    private static RehearsalOutcome Error(string name, string code = "CorruptFile") => new(name, "scans", "v1", code, T0.AddSeconds(1));

    [Fact]
    public void A_blob_with_one_outcome_of_the_right_kind_balances()
    {
        var ledger = PipelineLedger.Balance([Upload("a"), Upload("b", corrupt: true)], [Result("a"), Error("b")], poison: 0, "scans");

        Assert.True(ledger.Passed, string.Join("; ", ledger.Problems));
        Assert.Equal(2, ledger.ExactlyOnce);
        Assert.Equal(1, ledger.Results);
        Assert.Equal(1, ledger.ErrorCodes["CorruptFile"]);
    }

    [Fact]
    public void Every_way_of_losing_or_doubling_a_blob_is_a_problem()
    {
        var ledger = PipelineLedger.Balance(
            [Upload("lost"), Upload("doubled"), Upload("classified-corrupt", corrupt: true), Upload("refused-intact")],
            [Result("doubled"), Result("doubled"), Result("classified-corrupt"), Error("refused-intact"), Result("stranger")],
            poison: 2,
            "scans");

        Assert.False(ledger.Passed);
        Assert.Equal(1, ledger.Lost);
        Assert.Equal(1, ledger.DuplicatesDelivered);
        Assert.Equal(2, ledger.WrongOutcome);
        Assert.Equal(1, ledger.Unexpected);
        Assert.Equal(2, ledger.Poison);
        Assert.Equal(5, ledger.Problems.Count);
    }

    [Fact]
    public void A_blob_classified_once_by_each_model_across_a_promotion_is_not_a_duplicate()
    {
        var ledger = PipelineLedger.Balance([Upload("a")], [Result("a", "v1"), Result("a", "v2")], poison: 0, "scans");

        Assert.True(ledger.Passed, string.Join("; ", ledger.Problems));
        Assert.Equal(1, ledger.ClassifiedByTwoModels);
        Assert.Equal(0, ledger.ExactlyOnce);
    }

    [Fact]
    public void The_plan_draws_at_least_one_damaged_file_and_one_repeat_and_mixes_encodings_and_schemas()
    {
        var plan = RehearsalPlan.Create(new PipelineRehearsalOptions { Scans = 40 });

        Assert.Equal(40, plan.Scans.Select(s => s.BlobName).Distinct().Count());
        Assert.Equal(1, plan.Scans.Count(s => s.Corrupt));
        Assert.Equal(1, plan.Scans.Count(s => s.Repeat));
        Assert.Equal(20, plan.Scans.Count(s => s.Encoding == Shared.Pipeline.ScanEventEncoding.Base64));
        Assert.Equal(20, plan.Scans.Count(s => s.Schema == Shared.Pipeline.ScanEventSchema.CloudEvents));
        Assert.Equal(plan.Scans, RehearsalPlan.Create(new PipelineRehearsalOptions { Scans = 40 }).Scans);
        Assert.DoesNotContain(RehearsalPlan.Create(new PipelineRehearsalOptions { Scans = 40, Faults = PipelineFaults.None }).Scans, s => s.Corrupt || s.Repeat);
    }
}
