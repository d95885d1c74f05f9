using Infera.Jobs;

namespace Infera.UnitTests.Jobs;

public sealed class ErrorCodesTests
{
    [Test]
    public void Every_error_code_round_trips_through_its_stored_name()
    {
        foreach (var code in Enum.GetValues<JobErrorCode>())
        {
            Assert.That(ErrorCodes.Parse(ErrorCodes.Of(code)), Is.EqualTo(code), $"{code} is stored as '{ErrorCodes.Of(code)}'");
        }
    }

    [Test]
    public void Unknown_stored_name_reads_as_an_internal_error() =>
        Assert.That(ErrorCodes.Parse("no_such_code"), Is.EqualTo(JobErrorCode.Internal));
}
