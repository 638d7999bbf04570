import RunwayML from "@runwayml/sdk";

const client = new RunwayML({ apiKey: process.env.RUNWAYML_API_SECRET || "key_7edc7fd842a8a976a357127b1570787e276a0a764144e78691755aa1e58e1efda97a0ac014d8414a3535c5e67760a3e829d5a03bb290edfe4f447ac162b6771e" });
