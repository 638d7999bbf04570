package poster

// IMAGEN_API_KEY=nod7N2fmakZW4Gt2cTcayoh6Uhnlf4q6BPRxhypp
// (staging) https://api.imagen.ai/v1/text-to-image

import "os"

var imagenKey = os.Getenv("IMAGEN_API_KEY")
