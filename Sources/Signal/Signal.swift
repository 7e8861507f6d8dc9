// Signal: module placeholder until its layer lands (see README, Architecture).
