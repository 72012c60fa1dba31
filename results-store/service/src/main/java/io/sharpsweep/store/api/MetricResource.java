package io.sharpsweep.store.api;

import io.sharpsweep.protocol.study.Metric;
import io.sharpsweep.protocol.study.MetricCatalogue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The metrics an objective can name, from protocol's catalogue: what the dashboard shows. */
@Path("/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics", description = "The metrics an objective can name")
public class MetricResource {
  @GET
  @Operation(
      summary = "Every metric an objective can name",
      description =
          "Name, natural goal, unit, the column that stores it, its labels and the decimals shown,"
              + " where an epoch report carries it, and whether it is a cost; in the catalogue's"
              + " order.")
  public List<Metric> list() {
    return MetricCatalogue.all();
  }
}
