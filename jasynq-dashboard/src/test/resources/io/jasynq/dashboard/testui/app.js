console.log("jasynq");
