"""Validates every sample message in topics/samples against its JSON Schema in topics/schemas.

The dead-letter topic carries the original bytes as its value, so its schema describes the record headers
(samples/deadletter.headers.json) and its value sample (samples/deadletter.json) must *fail* the prediction
schema. Exit status 1 on any mismatch.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource


def main(topics: pathlib.Path) -> int:
    schemas = topics / "schemas"
    samples = topics / "samples"
    checker = jsonschema.Draft202012Validator
    failures = 0
    # Schemas refer to each other by $id (a deployment carries a reference profile).
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema))
        for schema in (json.loads(path.read_text()) for path in schemas.glob("*.schema.json"))
    )
    for schema_path in sorted(schemas.glob("*.schema.json")):
        event = schema_path.name.removesuffix(".schema.json")
        schema = json.loads(schema_path.read_text())
        checker.check_schema(schema)
        sample_name = "deadletter.headers.json" if event == "deadletter" else f"{event}.json"
        sample = json.loads((samples / sample_name).read_text())
        errors = sorted(checker(schema, registry=registry, format_checker=jsonschema.FormatChecker()).iter_errors(sample), key=str)
        for error in errors:
            print(f"{samples / sample_name}: {error.message} at {list(error.absolute_path)}")
        failures += len(errors)
        print(f"{'ok  ' if not errors else 'FAIL'} {sample_name} against {schema_path.name}")
    prediction = json.loads((schemas / "prediction.schema.json").read_text())
    malformed = json.loads((samples / "deadletter.json").read_text())
    if checker(prediction).is_valid(malformed):
        print("FAIL deadletter.json should not be a valid prediction")
        failures += 1
    else:
        print("ok   deadletter.json is rejected by prediction.schema.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "topics")))
