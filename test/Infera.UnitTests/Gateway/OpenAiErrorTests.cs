using Infera.Gateway.OpenAi;
using Infera.Jobs;

namespace Infera.UnitTests.Gateway;

public sealed class OpenAiErrorTests
{
    [TestCase(JobErrorCode.ModelNotFound, 404, "invalid_request_error", "model_not_found", "model")]
    [TestCase(JobErrorCode.NoCapacity, 503, "server_error", "no_capacity", null)]
    [TestCase(JobErrorCode.NodeFailure, 502, "server_error", "node_failure", null)]
    [TestCase(JobErrorCode.Timeout, 504, "server_error", "timeout", null)]
    [TestCase(JobErrorCode.Cancelled, 503, "server_error", "cancelled", null)]
    [TestCase(JobErrorCode.Internal, 500, "server_error", "internal_error", null)]
    public void Job_error_maps_to_an_http_status_and_openai_error(JobErrorCode code, int status, string type, string errorCode, string? param)
    {
        var (httpStatus, error) = OpenAiError.ForJob(new JobError(code, "what went wrong"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(httpStatus, Is.EqualTo(status));
            Assert.That(error, Is.EqualTo(new OpenAiError("what went wrong", type, param, errorCode)));
        }
    }

    [TestCase(JobErrorCode.ModelNotFound)]
    [TestCase(JobErrorCode.NoCapacity)]
    [TestCase(JobErrorCode.NodeFailure)]
    [TestCase(JobErrorCode.Timeout)]
    [TestCase(JobErrorCode.Cancelled)]
    [TestCase(JobErrorCode.Internal)]
    public void Openai_error_code_matches_the_stored_error_code(JobErrorCode code)
    {
        Assert.That(OpenAiError.ForJob(new JobError(code, "x")).Error.Code, Is.EqualTo(ErrorCodes.Of(code)));
    }
}
