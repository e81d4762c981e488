# The network of every environment stack, checked the way a Terraform team reads it.
# Runs against the synthesized JSON with mocked providers: no AWS calls.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

# One run per file: each run is a full plan of the stack.
run "network" {
  command = plan
  # vpc spans two zones with the seed cidrs
  assert {
    condition     = aws_vpc.network_vpc.cidr_block == "10.0.0.0/16"
    error_message = "VPC CIDR must be the seed's 10.0.0.0/16"
  }
  assert {
    condition     = aws_vpc.network_vpc.enable_dns_support && aws_vpc.network_vpc.enable_dns_hostnames
    error_message = "VPC needs DNS support and hostnames for private endpoint DNS"
  }
  assert {
    condition     = [aws_subnet.network_public_a.cidr_block, aws_subnet.network_public_b.cidr_block] == ["10.0.0.0/24", "10.0.1.0/24"]
    error_message = "public subnets must be 10.0.0.0/24 and 10.0.1.0/24"
  }
  assert {
    condition     = [aws_subnet.network_private_a.cidr_block, aws_subnet.network_private_b.cidr_block] == ["10.0.10.0/24", "10.0.11.0/24"]
    error_message = "private subnets must be 10.0.10.0/24 and 10.0.11.0/24"
  }
  assert {
    condition     = aws_subnet.network_private_a.availability_zone != aws_subnet.network_private_b.availability_zone
    error_message = "private subnets must be in two different zones"
  }
  assert {
    condition     = !aws_subnet.network_public_a.map_public_ip_on_launch && !aws_subnet.network_private_a.map_public_ip_on_launch
    error_message = "no subnet may hand out public IPs on launch"
  }
  # internet and nat routing
  assert {
    condition     = aws_route.network_public_internet.destination_cidr_block == "0.0.0.0/0"
    error_message = "public route table needs a default route to the internet gateway"
  }
  assert {
    condition     = aws_nat_gateway.network_nat_a.connectivity_type == "public" && aws_nat_gateway.network_nat_b.connectivity_type == "public"
    error_message = "each zone needs its own public NAT gateway (seed: one per AZ)"
  }
  assert {
    condition     = aws_eip.network_nat_a_ip.domain == "vpc" && aws_eip.network_nat_b_ip.domain == "vpc"
    error_message = "each NAT gateway needs a VPC Elastic IP (seed: one NAT per AZ)"
  }
  assert {
    condition     = aws_route.network_private_a_internet.destination_cidr_block == "0.0.0.0/0" && aws_route.network_private_b_internet.destination_cidr_block == "0.0.0.0/0"
    error_message = "each private route table needs a default route through its zone's NAT gateway"
  }
  # default security group has no rules and flow logs are on
  assert {
    condition     = length(aws_default_security_group.network_default_security_group.ingress) == 0 && length(aws_default_security_group.network_default_security_group.egress) == 0
    error_message = "the VPC's default security group must have no rules"
  }
  assert {
    condition     = aws_flow_log.network_flow_log.traffic_type == "ALL"
    error_message = "VPC flow logs must record all traffic"
  }
  assert {
    condition     = aws_cloudwatch_log_group.network_flow_logs.retention_in_days > 0
    error_message = "the flow log group needs a retention period"
  }
}
